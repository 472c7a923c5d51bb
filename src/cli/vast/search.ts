// `train vast search [filters]`: offers that can be rented now. The filters
// go to the service in its units, and every offer it returns is checked
// against them again before it is shown.
import {
  searchOffers,
  SORT_FIELDS,
  type OfferFilters,
  type OfferSort,
  type SortField,
  type VastOffer,
} from "../../providers/vast/offers.ts";
import { renderTable } from "../../ui/table.ts";
import { UsageError } from "../errors.ts";
import {
  currencyCell,
  currencyHead,
  defaultDeps,
  gigabytes,
  priceCell,
  writeJson,
  type VastDeps,
} from "./shared.ts";

export interface SearchFlags {
  gpu?: string;
  numGpus?: string;
  minGpuRam?: string;
  maxDph?: string;
  limit?: string;
  disk?: string;
  sort?: string;
  json?: boolean;
}

const DEFAULT_LIMIT = 20;

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(
      `invalid ${flag} "${value}": expected a number above 0`,
      `for example ${flag} 1`,
    );
  }
  return parsed;
}

/** Reads `--sort dph` (ascending) or `--sort dph-` (descending). */
export function parseSort(text: string | undefined): OfferSort | undefined {
  if (text === undefined) return undefined;
  const descending = text.endsWith("-");
  const field = text.replace(/[-+]$/, "");
  if (!(field in SORT_FIELDS)) {
    throw new UsageError(
      `invalid --sort "${text}"`,
      `use one of ${Object.keys(SORT_FIELDS).join(", ")}, with a trailing - for descending`,
    );
  }
  return { field: field as SortField, descending };
}

export function searchFilters(flags: SearchFlags): OfferFilters {
  return {
    gpu: flags.gpu,
    numGpus: positive("--num-gpus", flags.numGpus),
    minGpuRamGb: positive("--min-gpu-ram", flags.minGpuRam),
    maxDph: positive("--max-dph", flags.maxDph),
    limit: positive("--limit", flags.limit) ?? DEFAULT_LIMIT,
    diskGb: positive("--disk", flags.disk),
    sort: parseSort(flags.sort),
  };
}

function offerRow(offer: VastOffer, currency: string): string[] {
  const reliability =
    offer.reliability === undefined
      ? "N/A"
      : `${(offer.reliability * 100).toFixed(1)}%`;
  return [
    String(offer.id),
    offer.gpuName,
    String(offer.numGpus),
    gigabytes(offer.gpuRamMb),
    priceCell(offer.dphTotal),
    ...currencyCell(currency, offer.dphTotal),
    reliability,
    offer.geolocation || "N/A",
  ];
}

export async function searchCommand(
  flags: SearchFlags,
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const filters = searchFilters(flags);
  const { offers, rejected } = await searchOffers(deps.client(), filters);
  if (rejected > 0) {
    process.stderr.write(
      `dropped ${rejected} offers the service returned that do not match the filters\n`,
    );
  }
  if (flags.json)
    return writeJson(offers.map(({ raw: _raw, ...offer }) => offer));
  if (offers.length === 0) {
    process.stderr.write("no offers match; loosen the filters\n");
    return;
  }
  const currency = deps.currency();
  const head = [
    "ID",
    "GPU",
    "GPUs",
    "VRAM",
    "$/h",
    ...currencyHead(currency),
    "Reliability",
    "Location",
  ];
  process.stdout.write(
    renderTable(
      head,
      offers.map((o) => offerRow(o, currency)),
    ),
  );
}
