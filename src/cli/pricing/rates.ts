// `train pricing rates [--refresh]`: the exchange rates every price view
// converts with, and a fetch of current ones from config `pricing.rates_url`.
import { readSettings } from "../../config/settings.ts";
import { currentRateTable } from "../../pricing/convert.ts";
import { displayCurrency } from "../../pricing/display.ts";
import { updatePricingFile } from "../../pricing/pricing-file.ts";
import { knownCodes, type RateTable } from "../../pricing/rates.ts";
import { RatesClient, RatesFetchError } from "../../pricing/rates-client.ts";
import { renderTable } from "../../ui/table.ts";
import { CommandError } from "../errors.ts";
import { currencyName, sourceJson, sourceLine, writeJson } from "./shared.ts";

export interface RatesFlags {
  refresh?: boolean;
  json?: boolean;
}

export interface RatesDeps {
  client: () => RatesClient;
}

export function defaultRatesDeps(): RatesDeps {
  return {
    client: () =>
      new RatesClient({ baseUrl: readSettings().pricing.rates_url }),
  };
}

export async function ratesCommand(
  flags: RatesFlags,
  deps: RatesDeps = defaultRatesDeps(),
): Promise<void> {
  const failure = flags.refresh === true ? await refresh(deps) : undefined;
  const table = currentRateTable();
  showTable(table, flags.json === true);
  if (failure !== undefined) {
    throw new CommandError(
      `${failure.message}; the rates shown are the ${table.source === "fetched" ? "older cached ones" : "built-in table"}`,
      "check the network, or set another source with `train config set pricing.rates_url URL`",
    );
  }
}

async function refresh(deps: RatesDeps): Promise<RatesFetchError | undefined> {
  try {
    const fetched = await deps.client().latest();
    updatePricingFile((data) => {
      data.exchangeRates = {
        base: fetched.base,
        rates: fetched.rates,
        fetchedAt: fetched.fetchedAt ?? new Date().toISOString(),
        url: fetched.url ?? "",
      };
    });
    process.stderr.write(
      `fetched ${knownCodes(fetched).length} rates from ${fetched.url}\n`,
    );
    return undefined;
  } catch (error) {
    if (error instanceof RatesFetchError) return error;
    throw error;
  }
}

function showTable(table: RateTable, json: boolean): void {
  if (json) {
    writeJson({ ...sourceJson(table), base: table.base, rates: table.rates });
    return;
  }
  process.stderr.write(sourceLine(table));
  const current = displayCurrency();
  const rows = knownCodes(table).map((code) => [
    code === current ? `${code} *` : code,
    currencyName(code),
    String(table.rates[code]),
  ]);
  process.stdout.write(
    renderTable(["Code", "Currency", `Per 1 ${table.base}`], rows),
  );
}
