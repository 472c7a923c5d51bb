// Entries of `hosts.toml`: one `[[hosts]]` table per host. Fields train does
// not know are kept on a rewrite, so a newer or hand-edited file loses
// nothing when `host add` or `host remove` writes it.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { paths } from "../config/paths.ts";
import { readToml, writeToml, ConfigFileError } from "../config/toml-file.ts";
import { locateKey } from "../config/toml-locate.ts";

export const HOST_TYPES = ["ssh", "colab", "vastai", "local"] as const;
export const AUTH_METHODS = ["key", "agent", "password"] as const;
export const TUNNELS = ["cloudflared", "ngrok"] as const;

const hostEntrySchema = z.looseObject({
  name: z.string().min(1),
  type: z.enum(HOST_TYPES).default("ssh"),
  hostname: z.string().optional(),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().optional(),
  auth_method: z.enum(AUTH_METHODS).optional(),
  ssh_key_path: z.string().optional(),
  jump_host: z.string().optional(),
  /** Extra `-o` options, as `Key=Value` strings. */
  ssh_options: z.array(z.string()).default([]),
  /** How a Colab host is reached: a cloudflared or an ngrok tunnel. */
  tunnel: z.enum(TUNNELS).optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  vast_instance_id: z.union([z.string(), z.number()]).optional(),
  env_vars: z.record(z.string(), z.unknown()).optional(),
});

export type HostEntry = z.infer<typeof hostEntrySchema>;

const hostsFileSchema = z.object({
  hosts: z.array(z.record(z.string(), z.unknown())).default([]),
});

/** Reads `hosts.toml`; an invalid entry is an error naming its line and field. */
export function readHostsFile(file = paths.hosts()): HostEntry[] {
  const data = readToml(file);
  const parsed = hostsFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigFileError(
      file,
      "`hosts` must be an array of tables ([[hosts]])",
    );
  }
  const entries = parsed.data.hosts.map((raw, index) =>
    parseEntry(file, raw, index),
  );
  rejectDuplicates(file, entries);
  return entries;
}

function parseEntry(
  file: string,
  raw: Record<string, unknown>,
  index: number,
): HostEntry {
  const entry = hostEntrySchema.safeParse(raw);
  if (entry.success) return entry.data;
  const issue = entry.error.issues[0];
  const field = issue?.path.join(".") || undefined;
  const label =
    typeof raw.name === "string" ? `"${raw.name}"` : `#${index + 1}`;
  throw new ConfigFileError(
    file,
    `host ${label}: ${field ?? "entry"}: ${issue?.message ?? "invalid"}`,
    lineOf(file, index, field?.split(".")[0]),
  );
}

function rejectDuplicates(file: string, entries: HostEntry[]): void {
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    if (seen.has(entry.name)) {
      throw new ConfigFileError(
        file,
        `host "${entry.name}" is defined twice; remove or rename one of them`,
        lineOf(file, index, "name"),
      );
    }
    seen.add(entry.name);
  }
}

function lineOf(
  file: string,
  index: number,
  field: string | undefined,
): number | undefined {
  try {
    const text = readFileSync(file, "utf8");
    return locateKey(text, { arrayTable: "hosts", index }, field);
  } catch {
    return undefined;
  }
}

export function findHostEntry(
  name: string,
  file = paths.hosts(),
): HostEntry | undefined {
  return readHostsFile(file).find((entry) => entry.name === name);
}

/** Writes every entry atomically, leaving out unset fields and empty lists. */
export function writeHostsFile(
  entries: HostEntry[],
  file = paths.hosts(),
): void {
  writeToml(file, { hosts: entries.map(compactEntry) });
}

function compactEntry(entry: HostEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** Adds or, with `replace`, overwrites the entry of the same name. */
export function saveHostEntry(
  entry: HostEntry,
  replace: boolean,
  file = paths.hosts(),
): "added" | "replaced" {
  const entries = readHostsFile(file);
  const index = entries.findIndex((item) => item.name === entry.name);
  if (index !== -1 && !replace) {
    throw new Error(`host "${entry.name}" already exists`);
  }
  if (index === -1) entries.push(entry);
  else entries[index] = entry;
  writeHostsFile(entries, file);
  return index === -1 ? "added" : "replaced";
}

/** Removes the named entry; returns false when there was none. */
export function removeHostEntry(name: string, file = paths.hosts()): boolean {
  const entries = readHostsFile(file);
  const kept = entries.filter((entry) => entry.name !== name);
  if (kept.length === entries.length) return false;
  writeHostsFile(kept, file);
  return true;
}

/** Parses an entry built in code (by `host add`) with the file's rules. */
export function buildHostEntry(fields: Record<string, unknown>): HostEntry {
  return hostEntrySchema.parse(fields);
}
