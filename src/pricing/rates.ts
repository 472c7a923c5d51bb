// Exchange-rate tables: the shape accepted from the rates API, and the
// built-in table used when nothing has been fetched yet.
import { z } from "zod";

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Units of each currency per one unit of `base`. */
export interface RateTable {
  base: string;
  rates: Record<string, number>;
  source: "fetched" | "built-in";
  /** ISO time of the fetch; only for fetched tables. */
  fetchedAt?: string;
  /** The URL the table came from; only for fetched tables. */
  url?: string;
}

// NOTE: approximate mid-market rates, typed in by hand. They are only a
// fallback so prices show at all, and every view marks them as built-in.
export const BUILT_IN_RATES: RateTable = {
  base: "USD",
  source: "built-in",
  rates: {
    USD: 1,
    EUR: 0.86,
    GBP: 0.75,
    JPY: 155,
    CNY: 7.1,
    HKD: 7.78,
    TWD: 31,
    KRW: 1460,
    CAD: 1.4,
    AUD: 1.53,
    CHF: 0.8,
    INR: 89,
  },
};

const rateValue = z.number().positive().finite();

// Accepts `{base, rates}` and the `{base_code, rates}` form of
// open.er-api.com; an explicit `result` other than "success" is an error
// reply from that service.
const responseSchema = z.object({
  result: z.string().optional(),
  base: z.string().regex(CURRENCY_CODE).optional(),
  base_code: z.string().regex(CURRENCY_CODE).optional(),
  rates: z.record(z.string(), z.unknown()),
});

/** Validates a rates API reply; returns the table or the problem in words. */
export function parseRatesResponse(
  body: unknown,
): { table: Omit<RateTable, "source"> } | { problem: string } {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    return {
      problem: "expected a JSON object with `base` and a `rates` object",
    };
  }
  const reply = parsed.data;
  if (reply.result !== undefined && reply.result !== "success")
    return { problem: `the service replied result "${reply.result}"` };
  const base = reply.base ?? reply.base_code;
  if (base === undefined)
    return { problem: "the reply names no base currency (`base`)" };
  const rates: Record<string, number> = { [base]: 1 };
  for (const [code, value] of Object.entries(reply.rates)) {
    if (!CURRENCY_CODE.test(code)) continue;
    const rate = rateValue.safeParse(value);
    if (!rate.success)
      return { problem: `rate for ${code} is not a positive number` };
    rates[code] = rate.data;
  }
  if (Object.keys(rates).length < 2)
    return { problem: "the reply contains no rates" };
  return { table: { base, rates } };
}

export function isCurrencyCode(text: string): boolean {
  return CURRENCY_CODE.test(text);
}

/** Returns the codes a table can convert, sorted. */
export function knownCodes(table: RateTable): string[] {
  return Object.keys(table.rates).sort();
}
