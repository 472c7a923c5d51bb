// `SRC -> DST` between local paths, hosts and storages.
import type { TransferStep } from "../../recipe/ast.ts";
import { findFlag } from "../../recipe/transfer.ts";
import type { RunContext } from "../context.ts";
import { parseEndpointText, type Endpoint } from "../../transfer/endpoint.ts";
import { transfer, TransferError } from "../../transfer/transfer.ts";
import { failed, succeeded, type StepOutcome } from "../step-outcome.ts";
import { resolveStorageSpec } from "../../storage/resolve-spec.ts";
import type { Storage } from "../../storage/storage.ts";

/** Resolves endpoint text after interpolation: `@name:path`, `@name` or a local path. */
export function resolveEndpoint(ctx: RunContext, text: string): Endpoint {
  const expanded = ctx.expand(text);
  // The parser rejects flags written in the line; this catches a variable
  // that expands to one.
  const flag = findFlag(expanded);
  if (flag !== undefined)
    throw new TransferError(
      `Transfer endpoint "${expanded}" contains "${flag.text}", which would become part of the path: transfer lines take no options.\nTry: run \`train transfer SRC DST ${flag.text}\` outside the recipe, or fix the variable in "${text}".`,
    );
  const parsed = parseEndpointText(expanded);
  if (parsed.ref === undefined) return { kind: "local", path: parsed.path };
  const session = ctx.session(parsed.ref);
  const hostName = session?.host ?? parsed.ref;
  if (ctx.isStorageName(parsed.ref)) {
    const storage = recipeStorage(ctx, parsed.ref);
    return { kind: "storage", name: parsed.ref, storage, path: parsed.path };
  }
  if (hostName === "local" && !ctx.isHostName("local"))
    return { kind: "local", path: parsed.path || "." };
  return {
    kind: "host",
    name: hostName,
    host: ctx.resolveHost(hostName),
    path: parsed.path,
  };
}

/** Resolves a recipe storage: the run's `--storage` override, else its definition. */
function recipeStorage(ctx: RunContext, name: string): Storage {
  const override = ctx.state.storageOverrides?.[name];
  const definition = ctx.deps.recipe.definitions.find(
    (d) => d.kind === "storage" && d.name === name,
  );
  const spec = override ?? ctx.expand(definition?.value ?? "placeholder");
  return resolveStorageSpec(name, spec);
}

export async function runTransfer(
  step: TransferStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  try {
    const source = resolveEndpoint(ctx, step.source);
    const destination = resolveEndpoint(ctx, step.destination);
    const result = await transfer(source, destination, {
      signal: ctx.signal,
      secrets: ctx.deps.secrets,
    });
    return result.ok
      ? succeeded(result.message)
      : failed(result.message, { exitCode: result.exitCode });
  } catch (error) {
    if (isExpectedFailure(error)) return failed(error.message);
    throw error;
  }
}

// Rejections before the copy: unsafe or impossible transfers, storages that
// cannot be resolved, missing credentials.
function isExpectedFailure(error: unknown): error is Error {
  return (
    error instanceof TransferError ||
    (error instanceof Error &&
      [
        "StorageResolutionError",
        "MissingCredentialError",
        "StorageConfigError",
        "ConfigFileError",
      ].includes(error.name))
  );
}
