// The pricing command group. Each subcommand's code is imported only when it
// runs, so `train --help` loads none of it.
import type { Command } from "commander";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerPricing(program: Command): void {
  const group = program
    .command("pricing")
    .description(
      "Exchange rates, the display currency, and Colab and Vast.ai costs",
    );
  group
    .command("rates")
    .description("Show the exchange rates prices are converted with")
    .option(
      "-r, --refresh",
      "fetch current rates from config pricing.rates_url",
    )
    .option("--json", "print JSON")
    .action(async (flags: import("./rates.ts").RatesFlags) =>
      (await import("./rates.ts")).ratesCommand(flags),
    );
  group
    .command("currency")
    .description("Show or set the display currency (config ui.currency)")
    .option("-s, --set <CODE>", "set the display currency, e.g. EUR")
    .option("--json", "print JSON")
    .action(async (flags: { set?: string; json?: boolean }) =>
      (await import("./currency.ts")).currencyCommand(flags),
    );
  group
    .command("colab")
    .description("Show what a Colab GPU hour costs under your subscription")
    .option(
      "-s, --subscription <NAME:PRICE[:CUR[:UNITS]]>",
      "save your subscription: name, monthly price, its currency (default USD) and compute units (default 100)",
    )
    .option(
      "--gpu <NAME:UNITS>",
      "save a GPU's compute units per hour (repeatable)",
      collect,
      [],
    )
    .option("--json", "print JSON")
    .action(async (flags: import("./colab.ts").ColabFlags) =>
      (await import("./colab.ts")).colabCommand(flags),
    );
  group
    .command("vast")
    .description(
      "Show what the Vast.ai account's instances bill per hour, day and month",
    )
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) =>
      (await import("./vast.ts")).vastCommand(flags),
    );
  group
    .command("convert")
    .description("Convert an amount between currencies")
    .argument("<amount>", "the amount, e.g. 12.50")
    .argument("<from>", "currency code of the amount, e.g. USD")
    .argument("<to>", "currency code to convert to, e.g. EUR")
    .option("--json", "print JSON")
    .action(
      async (
        amount: string,
        from: string,
        to: string,
        flags: { json?: boolean },
      ) =>
        (await import("./convert.ts")).convertCommand(amount, from, to, flags),
    );
}
