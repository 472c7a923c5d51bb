// Turns a recipe's `@name` into a host to connect to: `--host` overrides
// first, then the recipe's `host` definition, then (for `train exec`) the name
// itself. A bare name is a `hosts.toml` entry when one exists, else an
// `~/.ssh/config` alias or hostname that OpenSSH resolves.
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
  type HostSpec,
} from "../hosts/spec.ts";
import { findHostEntry, type HostEntry } from "../hosts/hosts-file.ts";
import { expandHome } from "../util/paths.ts";

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
}

function specFromEntry(entry: HostEntry): HostSpec {
  if (entry.type === "local") return { kind: "local" };
  if (entry.hostname === undefined) {
    throw new HostResolutionError(
      `host "${entry.name}" in hosts.toml has no hostname`,
    );
  }
  const destination =
    entry.username === undefined
      ? entry.hostname
      : `${entry.username}@${entry.hostname}`;
  return {
    kind: "ssh",
    destination,
    port: entry.port === 22 ? undefined : entry.port,
    identityFile:
      entry.ssh_key_path === undefined
        ? undefined
        : expandHome(entry.ssh_key_path),
    jump: entry.jump_host,
    options: entry.ssh_options,
  };
}

function specText(name: string, sources: HostSources): string {
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
    throw new HostResolutionError(
      `host @${name} is Vast.ai instance ${spec.instanceId}, and Vast.ai hosts are not supported in this version`,
      `pass --host ${name}=user@hostname -p PORT with the instance's SSH address`,
    );
  }
  return toResolvedHost(name, spec);
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
