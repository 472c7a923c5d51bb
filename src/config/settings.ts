// The settings a run reads from `config.toml`, with their defaults.
// NOTE: `train config` (one schema for every key, get/set/reset) is not in this
// version yet; this reads the keys the runner uses.
import { z } from "zod";
import { paths } from "./paths.ts";
import { readToml, ConfigFileError } from "./toml-file.ts";

const settingsSchema = z.object({
  notifications: z
    .object({ webhook_url: z.string().url().optional() })
    .default({}),
  ui: z.object({ visual: z.boolean().default(true) }).default({ visual: true }),
  tmux: z
    .object({
      width: z.number().int().min(40).max(1000).default(220),
      height: z.number().int().min(10).max(500).default(50),
    })
    .default({ width: 220, height: 50 }),
});

export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(file = paths.config()): Settings {
  const raw = readToml(file);
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigFileError(
    file,
    `${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
  );
}
