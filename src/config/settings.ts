// The settings commands read from `config.toml`, with their defaults.
// NOTE: `train config` (one schema for every key, get/set/reset) is not in
// this version yet; this reads the keys the code uses.
import { z } from "zod";
import { paths } from "./paths.ts";
import { readToml, ConfigFileError } from "./toml-file.ts";

const settingsSchema = z.object({
  defaults: z
    .object({ ssh_key_path: z.string().default("~/.ssh/id_ed25519") })
    .default({ ssh_key_path: "~/.ssh/id_ed25519" }),
  notifications: z
    .object({ webhook_url: z.string().url().optional() })
    .default({}),
  ui: z
    .object({
      visual: z.boolean().default(true),
      currency: z.string().length(3).default("USD"),
    })
    .default({ visual: true, currency: "USD" }),
  tmux: z
    .object({
      width: z.number().int().min(40).max(1000).default(220),
      height: z.number().int().min(10).max(500).default(50),
    })
    .default({ width: 220, height: 50 }),
  vast: z
    .object({
      api_url: z.string().url().default("https://console.vast.ai"),
      auto_attach_ssh_key: z.boolean().default(true),
      on_failure: z.enum(["stop", "keep"]).default("stop"),
    })
    .default({
      api_url: "https://console.vast.ai",
      auto_attach_ssh_key: true,
      on_failure: "stop",
    }),
  pricing: z
    .object({
      rates_url: z
        .string()
        .url()
        .default("https://open.er-api.com/v6/latest/USD"),
    })
    .default({ rates_url: "https://open.er-api.com/v6/latest/USD" }),
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
