// Turns a recipe's `@name` into a host to connect to: a host picked by
// `vast.pick` first, then `--host` overrides, then the recipe's `host`
// definition, then (for `train exec`) the name itself. A bare name is a
// `hosts.toml` entry when one exists, else an `~/.ssh/config` alias or
// hostname that OpenSSH resolves.
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
  type HostSpec,
} from "../hosts/spec.ts";
import { findHostEntry } from "../hosts/hosts-file.ts";
import { specFromEntry } from "../hosts/entry-spec.ts";

export class HostResolutionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "HostResolutionError";
  }
}

export interface HostSources {
  /** Recipe `host` definitions, values already interpolated. */
  definitions: Map<string, string>;
  /** `--host NAME=SPEC` overrides. */
  overrides: Record<string, string>;
  /** Whether an undefined `@name` may name a host directly (`train exec`). */
  implicitHosts: boolean;
  /** Hosts set by steps during the run (`vast.pick`), name → spec. */
  picked?: Record<string, string>;
  /** The ssh host of a Vast.ai instance whose endpoint the run has looked up. */
  vastHost?: (instanceId: number) => ResolvedHost | undefined;
}

function specText(name: string, sources: HostSources): string {
  const picked = sources.picked?.[name];
  if (picked !== undefined) return picked;
  const override = sources.overrides[name];
  if (override !== undefined) return override;
  const defined = sources.definitions.get(name);
  if (defined !== undefined) return defined;
  if (name === "local" || sources.implicitHosts) return name;
  throw new HostResolutionError(
    `unknown host @${name}`,
    `define it with \`host ${name} = user@hostname\` or pass --host ${name}=SPEC`,
  );
}

/** Resolves `@name` to a connectable host or throws with the next step. */
export function resolveRunHost(
  name: string,
  sources: HostSources,
): ResolvedHost {
  const text = specText(name, sources);
  let spec = parseHostSpec(text);
  if (spec.kind === "ssh" && isBareName(spec)) {
    const entry = findHostEntry(spec.destination);
    if (entry !== undefined) spec = specFromEntry(entry);
  }
  if (spec.kind === "placeholder") {
    throw new HostResolutionError(
      `host @${name} is a placeholder with no host filled in`,
      `fill it with \`vast.pick @${name}\` in the recipe or pass --host ${name}=SPEC`,
    );
  }
  if (spec.kind === "vast") {
    const host = sources.vastHost?.(Number(spec.instanceId));
    if (host !== undefined) return { ...host, label: name };
    throw new HostResolutionError(
      `the SSH address of @${name} (Vast.ai instance ${spec.instanceId}) has not been looked up yet`,
      `add \`vast.wait\` before the first step that uses @${name}`,
    );
  }
  return toResolvedHost(name, spec);
}

/** The parsed spec of `@name`, before hosts.toml lookup and Vast.ai resolution. */
export function runHostSpec(name: string, sources: HostSources): HostSpec {
  return parseHostSpec(specText(name, sources));
}

function isBareName(spec: HostSpec & { kind: "ssh" }): boolean {
  return (
    !spec.destination.includes("@") &&
    spec.port === undefined &&
    spec.identityFile === undefined &&
    spec.jump === undefined &&
    spec.options.length === 0
  );
}
