// `train pricing convert AMOUNT FROM TO`.
import {
  convert,
  currentRateTable,
  formatAmount,
  UnknownCurrencyError,
} from "../../pricing/convert.ts";
import { UsageError } from "../errors.ts";
import { sourceJson, sourceLine, writeJson } from "./shared.ts";

export async function convertCommand(
  amountText: string,
  fromText: string,
  toText: string,
  flags: { json?: boolean },
): Promise<void> {
  const amount = parseAmount(amountText);
  const from = fromText.toUpperCase();
  const to = toText.toUpperCase();
  const table = currentRateTable();
  let result: number;
  try {
    result = convert(amount, from, to, table);
  } catch (error) {
    if (error instanceof UnknownCurrencyError)
      throw new UsageError(error.message, error.hint);
    throw error;
  }
  if (flags.json === true) {
    writeJson({ amount, from, to, result, ...sourceJson(table) });
    return;
  }
  process.stderr.write(sourceLine(table));
  process.stdout.write(
    `${formatAmount(amount, from)} = ${formatAmount(result, to)}\n`,
  );
}

function parseAmount(text: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text.trim())) {
    throw new UsageError(
      `invalid amount "${text}": expected a non-negative number such as 12.50`,
    );
  }
  return Number(text);
}
