// `SRC -> DST` between local paths, hosts and storages.
import type { TransferStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { parseEndpointText, type Endpoint } from "../../transfer/endpoint.ts";
import { transfer, TransferError } from "../../transfer/transfer.ts";
import { failed, succeeded, type StepOutcome } from "../step-outcome.ts";

/** Resolves endpoint text after interpolation: `@name:path`, `@name` or a local path. */
export function resolveEndpoint(ctx: RunContext, text: string): Endpoint {
  const parsed = parseEndpointText(ctx.expand(text));
  if (parsed.ref === undefined) return { kind: "local", path: parsed.path };
  const session = ctx.session(parsed.ref);
  const hostName = session?.host ?? parsed.ref;
  if (ctx.isStorageName(parsed.ref))
    return { kind: "storage", name: parsed.ref, path: parsed.path };
  if (hostName === "local" && !ctx.isHostName("local"))
    return { kind: "local", path: parsed.path || "." };
  return {
    kind: "host",
    name: hostName,
    host: ctx.resolveHost(hostName),
    path: parsed.path,
  };
}

export async function runTransfer(
  step: TransferStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  try {
    const source = resolveEndpoint(ctx, step.source);
    const destination = resolveEndpoint(ctx, step.destination);
    const result = await transfer(source, destination, { signal: ctx.signal });
    return result.ok
      ? succeeded(result.message)
      : failed(result.message, { exitCode: result.exitCode });
  } catch (error) {
    if (error instanceof TransferError) return failed(error.message);
    throw error;
  }
}
