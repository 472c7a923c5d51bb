// Offer search and renting. Filters are sent in the units the service
// expects (GPU memory in MB, as GB × 1000). Every returned offer is checked
// again here, so a filter that the service ignored or read differently does
// not let a wrong machine through to the table or to a rental.
import type { VastClient } from "./client.ts";
import { VastApiError } from "./errors.ts";

export interface OfferFilters {
  /** GPU model, e.g. "RTX 4090"; underscores count as spaces. */
  gpu?: string;
  /** At least this many GPUs. */
  numGpus?: number;
  /** At least this much memory per GPU, in GB. */
  minGpuRamGb?: number;
  /** At most this price in $/h, storage for `diskGb` included. */
  maxDph?: number;
  limit?: number;
  /** Disk size the price is computed for, in GB. */
  diskGb?: number;
  sort?: OfferSort;
}

export interface OfferSort {
  field: SortField;
  descending: boolean;
}

export const SORT_FIELDS = {
  dph: "dph_total",
  gpu_ram: "gpu_ram",
  num_gpus: "num_gpus",
  reliability: "reliability2",
  score: "score",
  dlperf: "dlperf",
} as const;

export type SortField = keyof typeof SORT_FIELDS;

export interface VastOffer {
  id: number;
  gpuName: string;
  numGpus: number;
  gpuRamMb: number;
  dphTotal: number;
  reliability: number | undefined;
  geolocation: string;
  /** Sort values by API field name. */
  raw: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** Normalizes a GPU name for comparing: "rtx_4090" and "RTX  4090" match. */
export function normalizeGpuName(name: string): string {
  return name.replaceAll("_", " ").replace(/\s+/g, " ").trim().toLowerCase();
}

/** The request body of an offer search. */
export function buildOfferQuery(filters: OfferFilters): Json {
  const query: Json = {
    verified: { eq: true },
    external: { eq: false },
    rentable: { eq: true },
    rented: { eq: false },
  };
  if (filters.gpu !== undefined)
    query.gpu_name = { eq: filters.gpu.replaceAll("_", " ").trim() };
  if (filters.numGpus !== undefined) query.num_gpus = { gte: filters.numGpus };
  if (filters.minGpuRamGb !== undefined)
    query.gpu_ram = { gte: filters.minGpuRamGb * 1000 };
  if (filters.maxDph !== undefined) query.dph_total = { lte: filters.maxDph };
  const sort = filters.sort ?? { field: "dph", descending: false };
  query.order = [[SORT_FIELDS[sort.field], sort.descending ? "desc" : "asc"]];
  query.type = "on-demand";
  if (filters.diskGb !== undefined) query.allocated_storage = filters.diskGb;
  if (filters.limit !== undefined) query.limit = filters.limit;
  return query;
}

function numberOf(value: unknown): number | undefined {
  const parsed = typeof value === "string" ? Number(value) : value;
  return typeof parsed === "number" && Number.isFinite(parsed)
    ? parsed
    : undefined;
}

export function parseOffer(raw: Json): VastOffer {
  return {
    id: numberOf(raw.id) ?? 0,
    gpuName: typeof raw.gpu_name === "string" ? raw.gpu_name.trim() : "",
    numGpus: numberOf(raw.num_gpus) ?? 0,
    gpuRamMb: numberOf(raw.gpu_ram) ?? 0,
    dphTotal: numberOf(raw.dph_total) ?? Number.POSITIVE_INFINITY,
    reliability: numberOf(raw.reliability2 ?? raw.reliability),
    geolocation: typeof raw.geolocation === "string" ? raw.geolocation : "",
    raw,
  };
}

/** The filters an offer fails, as text such as "gpu_ram 16 GB < 24 GB"; empty when it passes. */
export function offerMismatches(
  offer: VastOffer,
  filters: OfferFilters,
): string[] {
  const problems: string[] = [];
  const gpu = filters.gpu;
  if (
    gpu !== undefined &&
    normalizeGpuName(offer.gpuName) !== normalizeGpuName(gpu)
  )
    problems.push(`gpu "${offer.gpuName}" is not "${gpu}"`);
  if (filters.numGpus !== undefined && offer.numGpus < filters.numGpus)
    problems.push(`num_gpus ${offer.numGpus} < ${filters.numGpus}`);
  const minMb = (filters.minGpuRamGb ?? 0) * 1000;
  if (offer.gpuRamMb < minMb)
    problems.push(
      `gpu_ram ${(offer.gpuRamMb / 1000).toFixed(1)} GB < ${filters.minGpuRamGb} GB`,
    );
  if (filters.maxDph !== undefined && !(offer.dphTotal <= filters.maxDph))
    problems.push(`$/h ${offer.dphTotal} > ${filters.maxDph}`);
  const raw = offer.raw;
  if (raw.rented === true || raw.rentable === false)
    problems.push("not available for rent");
  return problems;
}

function compareOffers(
  sort: OfferSort,
): (a: VastOffer, b: VastOffer) => number {
  const field = SORT_FIELDS[sort.field];
  return (a, b) => {
    const left = numberOf(a.raw[field]) ?? 0;
    const right = numberOf(b.raw[field]) ?? 0;
    const order = sort.descending ? right - left : left - right;
    return order !== 0 ? order : a.id - b.id;
  };
}

export interface SearchResult {
  offers: VastOffer[];
  /** Offers the service returned that failed the filters here. */
  rejected: number;
}

export async function searchOffers(
  client: VastClient,
  filters: OfferFilters,
): Promise<SearchResult> {
  const reply = await client.request<{ offers?: Json[] }>("POST", "/bundles/", {
    body: buildOfferQuery(filters),
    idempotent: true,
    what: "search offers",
  });
  const all = (reply.offers ?? []).map(parseOffer);
  const passing = all.filter(
    (offer) => offerMismatches(offer, filters).length === 0,
  );
  passing.sort(
    compareOffers(filters.sort ?? { field: "dph", descending: false }),
  );
  const limited =
    filters.limit === undefined ? passing : passing.slice(0, filters.limit);
  return { offers: limited, rejected: all.length - passing.length };
}

export interface CreateRequest {
  offerId: number;
  image: string;
  diskGb: number;
  /** Marks the instance as train's, e.g. "train:<job id>". */
  label: string;
}

/**
 * Rents an offer and returns the new instance id. Never retried on a lost
 * response, because the instance may exist by then.
 */
export async function createInstance(
  client: VastClient,
  request: CreateRequest,
): Promise<number> {
  const reply = await client.request<{ new_contract?: unknown }>(
    "PUT",
    `/asks/${request.offerId}/`,
    {
      body: {
        client_id: "me",
        image: request.image,
        disk: request.diskGb,
        label: request.label,
        runtype: "ssh_direc ssh_proxy",
        // Without it a failed placement can leave a stopped instance behind.
        cancel_unavail: true,
      },
      idempotent: false,
      what: `rent offer ${request.offerId}`,
    },
  );
  const id = numberOf(reply.new_contract);
  if (id === undefined) {
    throw new VastApiError(
      `Vast.ai API rent offer ${request.offerId} returned no instance id`,
      200,
      "no_contract",
      `check \`train vast list\` for an instance labelled ${request.label}`,
    );
  }
  return id;
}
