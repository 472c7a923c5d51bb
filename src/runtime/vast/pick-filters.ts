// The options of `vast.pick`, read after interpolation, and how instances are
// matched and ranked against them.
import type { VastPickStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import {
  normalizeGpuName,
  type OfferFilters,
} from "../../providers/vast/offers.ts";
import { phaseOf, type InstancePhase } from "../../providers/vast/status.ts";
import { VastStepError } from "./records.ts";

export interface PickOptions {
  filters: OfferFilters;
  create: boolean;
  image?: string;
  diskGb: number;
}

/** Disk of a rented instance when `disk=` is not given, in GB. */
export const DEFAULT_DISK_GB = 20;
/** Candidates shown on a terminal when `limit=` is not given. */
export const DEFAULT_PICK_LIMIT = 20;

function numberOption(
  options: Record<string, string>,
  key: string,
  ctx: RunContext,
): number | undefined {
  const written = options[key];
  if (written === undefined) return undefined;
  const value = ctx.expand(written).trim();
  const parsed = Number(value);
  if (value === "" || !Number.isFinite(parsed) || parsed < 0) {
    throw new VastStepError(
      `vast.pick option ${key}=${value} is not a number`,
      `write ${key} as a number, such as ${key}=1`,
    );
  }
  return parsed;
}

export function readPickOptions(
  step: VastPickStep,
  ctx: RunContext,
): PickOptions {
  const o = step.options;
  const gpu = o.gpu === undefined ? undefined : ctx.expand(o.gpu).trim();
  const filters: OfferFilters = {
    gpu: gpu === "" ? undefined : gpu,
    numGpus: numberOption(o, "num_gpus", ctx),
    minGpuRamGb: numberOption(o, "min_gpu_ram", ctx),
    maxDph: numberOption(o, "max_dph", ctx),
    limit: numberOption(o, "limit", ctx),
  };
  const create =
    o.create === undefined ? false : ctx.expand(o.create) === "true";
  const image = o.image === undefined ? undefined : ctx.expand(o.image).trim();
  if (create && (image === undefined || image === "")) {
    throw new VastStepError(
      "vast.pick create=true needs the image to run",
      "add image=IMAGE, such as image=pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime",
    );
  }
  const diskGb = numberOption(o, "disk", ctx) ?? DEFAULT_DISK_GB;
  return { filters, create, image, diskGb };
}

/** The filters as written, e.g. "gpu=RTX 4090 num_gpus>=1 max_dph<=0.5". */
export function describeFilters(filters: OfferFilters): string {
  const parts: string[] = [];
  if (filters.gpu !== undefined) parts.push(`gpu=${filters.gpu}`);
  if (filters.numGpus !== undefined) parts.push(`num_gpus>=${filters.numGpus}`);
  if (filters.minGpuRamGb !== undefined)
    parts.push(`min_gpu_ram>=${filters.minGpuRamGb}GB`);
  if (filters.maxDph !== undefined) parts.push(`max_dph<=${filters.maxDph}`);
  return parts.length === 0 ? "no filters" : parts.join(" ");
}

export function instanceMatches(
  instance: VastInstance,
  filters: OfferFilters,
): boolean {
  if (phaseOf(instance) === "offline") return false;
  if (
    filters.gpu !== undefined &&
    normalizeGpuName(instance.gpuName) !== normalizeGpuName(filters.gpu)
  )
    return false;
  if (filters.numGpus !== undefined && instance.numGpus < filters.numGpus)
    return false;
  if (instance.gpuRamMb < (filters.minGpuRamGb ?? 0) * 1000) return false;
  const price = instance.dphTotal ?? Number.POSITIVE_INFINITY;
  return filters.maxDph === undefined || price <= filters.maxDph;
}

const PHASE_RANK: Record<InstancePhase, number> = {
  running: 0,
  pending: 1,
  scheduling: 2,
  stopped: 3,
  exited: 3,
  unrecognized: 4,
  offline: 5,
};

/**
 * The pick order, which is also the rule with no terminal: running first,
 * then starting, then stopped; within each, the lowest $/h; then the
 * lowest id.
 */
export function comparePick(a: VastInstance, b: VastInstance): number {
  const rank = PHASE_RANK[phaseOf(a)] - PHASE_RANK[phaseOf(b)];
  if (rank !== 0) return rank;
  const price = (a.dphTotal ?? Infinity) - (b.dphTotal ?? Infinity);
  if (price !== 0 && Number.isFinite(price)) return price;
  return a.id - b.id;
}
