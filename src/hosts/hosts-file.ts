// Entries of `hosts.toml`: one `[[hosts]]` table per host.
import { z } from "zod";
import { paths } from "../config/paths.ts";
import { readToml, ConfigFileError } from "../config/toml-file.ts";

const hostEntrySchema = z.object({
  name: z.string().min(1),
  type: z.enum(["ssh", "colab", "vastai", "local"]).default("ssh"),
  hostname: z.string().optional(),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().optional(),
  auth_method: z.enum(["key", "agent", "password"]).optional(),
  ssh_key_path: z.string().optional(),
  jump_host: z.string().optional(),
  /** Extra `-o` options, as `Key=Value` strings. */
  ssh_options: z.array(z.string()).default([]),
  vast_instance_id: z.union([z.string(), z.number()]).optional(),
  env_vars: z.record(z.string(), z.unknown()).optional(),
});

export type HostEntry = z.infer<typeof hostEntrySchema>;

const hostsFileSchema = z.object({
  hosts: z.array(z.record(z.string(), z.unknown())).default([]),
});

/** Reads `hosts.toml`; each invalid entry is an error naming its index and field. */
export function readHostsFile(file = paths.hosts()): HostEntry[] {
  const parsed = hostsFileSchema.safeParse(readToml(file));
  if (!parsed.success) {
    throw new ConfigFileError(
      file,
      "`hosts` must be an array of tables ([[hosts]])",
    );
  }
  return parsed.data.hosts.map((raw, index) => {
    const entry = hostEntrySchema.safeParse(raw);
    if (entry.success) return entry.data;
    const issue = entry.error.issues[0];
    const field = issue?.path.join(".") || "entry";
    const label =
      typeof raw.name === "string" ? `"${raw.name}"` : `#${index + 1}`;
    throw new ConfigFileError(
      file,
      `host ${label}: ${field}: ${issue?.message ?? "invalid"}`,
    );
  });
}

export function findHostEntry(
  name: string,
  file = paths.hosts(),
): HostEntry | undefined {
  return readHostsFile(file).find((entry) => entry.name === name);
}
