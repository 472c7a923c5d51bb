// `pricing.json` in the config home: the last fetched exchange rates with
// their fetch time, and the Colab subscription and GPU rates the user set.
// The display currency is not kept here but in config `ui.currency`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { configHome } from "../config/paths.ts";
import { ConfigFileError, writeFileAtomic } from "../config/toml-file.ts";

const ratesSchema = z.object({
  base: z.string(),
  rates: z.record(z.string(), z.number().positive()),
  fetchedAt: z.string(),
  url: z.string(),
});

const subscriptionSchema = z.object({
  name: z.string().min(1),
  price: z.number().positive(),
  currency: z.string(),
  units: z.number().positive(),
});

const fileSchema = z.looseObject({
  exchangeRates: ratesSchema.optional(),
  colab: z
    .object({
      subscription: subscriptionSchema.optional(),
      /** Compute units per hour, by GPU name. */
      gpuUnitsPerHour: z.record(z.string(), z.number().positive()).optional(),
    })
    .optional(),
});

export type PricingFile = z.infer<typeof fileSchema>;
export type ColabSubscription = z.infer<typeof subscriptionSchema>;

export function pricingPath(): string {
  return join(configHome(), "pricing.json");
}

/** Reads pricing.json; a missing file is empty, an invalid one an error. */
export function readPricingFile(file = pricingPath()): PricingFile {
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigFileError(
      file,
      `not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = fileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigFileError(
    file,
    `${issue?.path.join(".") || "file"}: ${issue?.message ?? "invalid"}`,
  );
}

/** Applies `change` to the file's contents and writes it atomically. */
export function updatePricingFile(
  change: (data: PricingFile) => void,
  file = pricingPath(),
): void {
  const data = readPricingFile(file);
  change(data);
  writeFileAtomic(file, JSON.stringify(data, null, 2) + "\n");
}
