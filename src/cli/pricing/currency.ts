// `train pricing currency [--set CODE]`: the display currency, config
// `ui.currency`, which every price view reads.
import { setConfigValue } from "../../config/config-file.ts";
import { paths } from "../../config/paths.ts";
import { currentRateTable, tableLabel } from "../../pricing/convert.ts";
import { displayCurrency } from "../../pricing/display.ts";
import { knownCodes } from "../../pricing/rates.ts";
import { UsageError } from "../errors.ts";
import { currencyName, writeJson } from "./shared.ts";

export async function currencyCommand(flags: {
  set?: string;
  json?: boolean;
}): Promise<void> {
  if (flags.set !== undefined) return setCurrency(flags.set);
  const code = displayCurrency();
  const table = currentRateTable();
  const known = knownCodes(table);
  if (flags.json === true) {
    writeJson({ currency: code, known });
    return;
  }
  process.stdout.write(`${code} (${currencyName(code)})\n`);
  if (!known.includes(code)) {
    process.stderr.write(
      `the ${tableLabel(table)} has no rate for ${code}, so prices cannot show in it; pick one of ${known.join(", ")}\n`,
    );
  }
}

function setCurrency(text: string): void {
  const code = text.trim().toUpperCase();
  const table = currentRateTable();
  const known = knownCodes(table);
  if (!known.includes(code)) {
    throw new UsageError(
      `unknown currency "${text}": the ${tableLabel(table)} has no rate for it`,
      `known codes: ${known.join(", ")}; \`train pricing rates --refresh\` fetches the full list`,
    );
  }
  setConfigValue("ui.currency", code);
  process.stderr.write(
    `display currency set to ${code} (ui.currency in ${paths.config()})\n`,
  );
}
