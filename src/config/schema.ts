// The one list of `config.toml` keys. Validation of the file, the typed
// settings object, `train config show|get|set|reset` and their help text all
// come from this table.

interface KeyBase {
  description: string;
}

export type KeyDefinition = KeyBase &
  (
    | { type: "string"; default: string }
    | { type: "boolean"; default: boolean }
    | { type: "integer"; default: number; min: number; max: number }
    | { type: "enum"; default: string; values: readonly string[] }
    | { type: "currency"; default: string }
    | { type: "url"; default: string | undefined }
  );

export const CONFIG_KEYS = {
  "defaults.ssh_key_path": {
    type: "string",
    default: "~/.ssh/id_ed25519",
    description: "private key for new hosts and for Vast.ai key attachment",
  },
  "ui.visual": {
    type: "boolean",
    default: true,
    description: "show the live view during runs (else plain lines)",
  },
  "ui.currency": {
    type: "currency",
    default: "USD",
    description: "currency for displayed prices, a three-letter ISO code",
  },
  "tmux.width": {
    type: "integer",
    default: 220,
    min: 40,
    max: 1000,
    description: "width in columns of the tmux sessions that runs open",
  },
  "tmux.height": {
    type: "integer",
    default: 50,
    min: 10,
    max: 500,
    description: "height in lines of the tmux sessions that runs open",
  },
  "notifications.webhook_url": {
    type: "url",
    default: undefined,
    description: "URL that `notify` steps POST a JSON message to (unset: off)",
  },
  "vast.api_url": {
    type: "url",
    default: "https://console.vast.ai",
    description: "base URL of the Vast.ai REST API",
  },
  "vast.auto_attach_ssh_key": {
    type: "boolean",
    default: true,
    description:
      "attach defaults.ssh_key_path to the Vast.ai account if absent",
  },
  "vast.on_failure": {
    type: "enum",
    default: "stop",
    values: ["stop", "keep"],
    description: "what happens to an instance a failed run started",
  },
  "vast.confirm_timeout": {
    type: "integer",
    default: 120,
    min: 1,
    max: 3600,
    description:
      "seconds to re-read an instance until Vast.ai confirms a stop or destroy",
  },
  "pricing.rates_url": {
    type: "url",
    default: "https://open.er-api.com/v6/latest/USD",
    description: "exchange-rate source for price conversion",
  },
} as const satisfies Record<string, KeyDefinition>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export type ConfigValue = string | number | boolean;

export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];

export function isConfigKey(name: string): name is ConfigKey {
  return Object.hasOwn(CONFIG_KEYS, name);
}

export function keyDefinition(key: ConfigKey): KeyDefinition {
  return CONFIG_KEYS[key];
}

type ValueOf<D> = D extends { type: "boolean" }
  ? boolean
  : D extends { type: "integer" }
    ? number
    : D extends { type: "enum"; values: readonly (infer V)[] }
      ? V
      : D extends { default: undefined }
        ? string | undefined
        : string;

type SectionOf<K> = K extends `${infer S}.${string}` ? S : never;

/** The settings object: `settings.vast.api_url` and so on, every key filled. */
export type Settings = {
  [S in SectionOf<ConfigKey>]: {
    [K in ConfigKey as K extends `${S}.${infer F}` ? F : never]: ValueOf<
      (typeof CONFIG_KEYS)[K]
    >;
  };
};

/** Describes the values a key accepts, for help text and error messages. */
export function allowedValues(definition: KeyDefinition): string {
  switch (definition.type) {
    case "string":
      return "any text";
    case "boolean":
      return "true or false";
    case "integer":
      return `a whole number from ${definition.min} to ${definition.max}`;
    case "enum":
      return `one of ${definition.values.join(", ")}`;
    case "currency":
      return "a three-letter currency code such as USD or EUR";
    case "url":
      return "an http:// or https:// URL";
  }
}

/**
 * Checks a value read from the TOML file. Returns the problem in words, or
 * undefined when the value fits the key.
 */
export function valueProblem(
  definition: KeyDefinition,
  value: unknown,
): string | undefined {
  const expected = `expected ${allowedValues(definition)}`;
  switch (definition.type) {
    case "string":
      return typeof value === "string" ? undefined : expected;
    case "boolean":
      return typeof value === "boolean" ? undefined : expected;
    case "integer":
      return Number.isInteger(value) &&
        (value as number) >= definition.min &&
        (value as number) <= definition.max
        ? undefined
        : expected;
    case "enum":
      return typeof value === "string" && definition.values.includes(value)
        ? undefined
        : expected;
    case "currency":
      return typeof value === "string" && /^[A-Z]{3}$/.test(value)
        ? undefined
        : expected;
    case "url":
      return typeof value === "string" && isHttpUrl(value)
        ? undefined
        : expected;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Converts the text given to `train config set` into the key's type, or
 * returns the problem. Only the exact words `true`/`false` and plain decimal
 * digits convert, so `1e3` or `nan` never turn into numbers by accident.
 */
export function parseConfigValue(
  definition: KeyDefinition,
  text: string,
): { value: ConfigValue } | { problem: string } {
  let value: unknown = text;
  if (definition.type === "boolean") {
    if (text === "true") value = true;
    else if (text === "false") value = false;
  } else if (definition.type === "integer" && /^-?[0-9]+$/.test(text)) {
    value = Number(text);
  } else if (definition.type === "currency") {
    value = text.toUpperCase();
  }
  const problem = valueProblem(definition, value);
  if (problem !== undefined) return { problem };
  return { value: value as ConfigValue };
}
