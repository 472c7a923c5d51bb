// Renting for `vast.pick ... create=true`: the cheapest offer that passes
// the filters, priced for the requested disk. The new id is saved in the job
// before anything else happens, so no failure later can lose track of it.
import type { RunContext } from "../context.ts";
import { succeeded, type StepOutcome } from "../step-outcome.ts";
import { isNotFound } from "../../providers/vast/instances.ts";
import {
  createInstance,
  searchOffers,
  type VastOffer,
} from "../../providers/vast/offers.ts";
import { describeOffer } from "./describe.ts";
import { describeFilters, type PickOptions } from "./pick-filters.ts";
import { recordInstance, VastStepError } from "./records.ts";

/** Offers tried when the cheapest ones are taken between search and rent. */
const RENT_ATTEMPTS = 3;

export async function rentCheapest(
  ctx: RunContext,
  target: string,
  options: PickOptions,
): Promise<StepOutcome> {
  const client = ctx.vastClient();
  const filters = { ...options.filters, diskGb: options.diskGb, limit: 10 };
  const { offers, rejected } = await searchOffers(client, filters);
  if (offers.length === 0) {
    const note =
      rejected > 0 ? `; ${rejected} returned offers failed the filters` : "";
    throw new VastStepError(
      `no Vast.ai offer matches ${describeFilters(options.filters)} with a ${options.diskGb} GB disk${note}`,
      "loosen the filters or raise max_dph, then resume",
    );
  }
  for (const offer of offers.slice(0, RENT_ATTEMPTS)) {
    const id = await tryRent(ctx, offer, options);
    if (id === undefined) continue;
    ctx.state.pickedHosts = {
      ...ctx.state.pickedHosts,
      [target]: `vast:${id}`,
    };
    recordInstance(ctx, id, {
      host: target,
      createdByRun: true,
      startedByRun: true,
      dphTotal: offer.dphTotal,
    });
    const text = describeOffer(offer, ctx.settings.vast.currency);
    return succeeded(`@${target} = new Vast.ai instance ${id}, rented ${text}`);
  }
  throw new VastStepError(
    `the ${Math.min(RENT_ATTEMPTS, offers.length)} cheapest matching offers were taken before they could be rented`,
    "resume to search again",
  );
}

async function tryRent(
  ctx: RunContext,
  offer: VastOffer,
  options: PickOptions,
): Promise<number | undefined> {
  try {
    return await createInstance(ctx.vastClient(), {
      offerId: offer.id,
      image: options.image ?? "",
      diskGb: options.diskGb,
      label: `train:${ctx.state.id}`,
    });
  } catch (error) {
    // Someone else rented it after the search; the next offer may be free.
    if (isNotFound(error) || (error as { status?: number }).status === 410) {
      ctx.emit({
        kind: "warn",
        message: `offer ${offer.id} is no longer available`,
      });
      return undefined;
    }
    throw error;
  }
}
