// Host specs as written in a recipe (`host gpu = root@1.2.3.4 -p 2222`), in
// hosts.toml or on the command line (`--host gpu=vast:123`), parsed into a
// structure, and the resolved form that the ssh transport connects to.
import { homedir } from "node:os";

export type HostSpec =
  | { kind: "local" }
  | { kind: "placeholder" }
  | { kind: "vast"; instanceId: string }
  | {
      kind: "ssh";
      destination: string;
      port?: number;
      identityFile?: string;
      jump?: string;
      /** The `-o` values in the order given, e.g. "StrictHostKeyChecking=yes". */
      options: string[];
    };

export type ResolvedHost =
  | { kind: "local"; label: string }
  | {
      kind: "ssh";
      label: string;
      destination: string;
      /** ssh argv options that go before the destination, e.g. ["-p", "2222"]. */
      sshOptions: string[];
    };

export class HostSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostSpecError";
  }
}

const ACCEPTED_FLAGS =
  "-p PORT, -i IDENTITY_FILE, -J JUMP_HOST, -o OPTION=VALUE";
const EXAMPLE = "root@203.0.113.7 -p 2222 -i ~/.ssh/id_ed25519";

/**
 * Parses a host spec: `local`, `placeholder`, `vast:ID`, or an ssh
 * destination (`user@host`, or a bare name that ~/.ssh/config may define)
 * followed by ssh flags. Words are split like a shell does, with quotes.
 */
export function parseHostSpec(text: string): HostSpec {
  const words = splitWords(text);
  const first = words[0];
  if (first === undefined) {
    throw specError(
      text,
      "the host spec is empty",
      `write a host such as ${EXAMPLE}`,
    );
  }
  if (words.length === 1) {
    const keyword = parseKeyword(first, text);
    if (keyword !== undefined) return keyword;
  }
  return parseSshSpec(words, text);
}

function parseKeyword(word: string, text: string): HostSpec | undefined {
  if (word === "local") return { kind: "local" };
  if (word === "placeholder") return { kind: "placeholder" };
  if (!word.startsWith("vast:")) return undefined;
  const instanceId = word.slice("vast:".length);
  if (!/^[0-9]+$/.test(instanceId)) {
    throw specError(
      text,
      `"${instanceId}" is not a Vast.ai instance ID`,
      "write vast:ID with the numeric ID from `train vast list`",
    );
  }
  return { kind: "vast", instanceId };
}

type SshSpec = Extract<HostSpec, { kind: "ssh" }>;

function parseSshSpec(words: string[], text: string): SshSpec {
  const spec: SshSpec = { kind: "ssh", destination: "", options: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word.startsWith("-")) {
      const [value, consumed] = flagValue(words, i, text);
      applyFlag(spec, word.slice(0, 2), value, text);
      i += consumed;
    } else if (spec.destination === "") {
      spec.destination = stripSshPrefix(word);
    } else {
      throw specError(
        text,
        `unexpected word "${word}" after the destination "${spec.destination}"`,
        `put flags (${ACCEPTED_FLAGS}) around a single destination`,
      );
    }
  }
  if (spec.destination === "") {
    throw specError(
      text,
      "the ssh destination is missing",
      `write a host such as ${EXAMPLE}`,
    );
  }
  return spec;
}

// `ssh:NAME` is accepted as an explicit form of the bare alias `NAME`.
function stripSshPrefix(word: string): string {
  return word.startsWith("ssh:") ? word.slice("ssh:".length) : word;
}

const VALUE_FLAGS = new Set(["-p", "-i", "-J", "-o"]);

/** Returns the flag's value (attached as in `-p2222`, or the next word) and how many extra words it used. */
function flagValue(
  words: string[],
  index: number,
  text: string,
): [string, number] {
  const word = words[index] ?? "";
  const flag = word.slice(0, 2);
  if (!VALUE_FLAGS.has(flag)) throw unknownFlag(word, text);
  if (word.length > 2) return [word.slice(2), 0];
  const next = words[index + 1];
  if (next === undefined) {
    throw specError(
      text,
      `flag ${flag} needs a value`,
      `write it as ${flag} VALUE`,
    );
  }
  return [next, 1];
}

function applyFlag(
  spec: SshSpec,
  flag: string,
  value: string,
  text: string,
): void {
  switch (flag) {
    case "-p":
      spec.port = parsePort(value, text);
      return;
    case "-i":
      spec.identityFile = expandHome(value);
      return;
    case "-J":
      spec.jump = value;
      return;
    case "-o":
      if (value.trim() === "")
        throw specError(
          text,
          "flag -o has an empty value",
          "write it as -o OPTION=VALUE",
        );
      spec.options.push(value);
      return;
    default:
      throw unknownFlag(flag, text);
  }
}

function parsePort(value: string, text: string): number {
  const port = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw specError(
      text,
      `port "${value}" is not a number from 1 to 65535`,
      "write the port as -p 2222",
    );
  }
  return port;
}

function unknownFlag(flag: string, text: string): HostSpecError {
  return specError(
    text,
    `unknown flag ${flag}`,
    `use only the accepted flags: ${ACCEPTED_FLAGS}`,
  );
}

// Only `~` and `~/...` are expanded, and `~user/...` is left for ssh.
function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return `${homedir()}/${path.slice(2)}`;
  return path;
}

function specError(text: string, problem: string, next: string): HostSpecError {
  return new HostSpecError(
    `Invalid host spec "${text}": ${problem}.\nTry: ${next}.`,
  );
}

/**
 * Splits text into words the way a POSIX shell does for quotes and
 * backslashes: '...' is literal, "..." allows \" \\ \$ \`, and a backslash
 * outside quotes escapes the next character. No expansion happens.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1)
        throw specError(
          text,
          "a single quote is not closed",
          "close the quote or remove it",
        );
      word += text.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      const [content, end] = readDoubleQuoted(text, i + 1);
      word += content;
      i = end;
    } else if (ch === "\\" && i + 1 < text.length) {
      word += text[i + 1];
      i++;
    } else {
      word += ch;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Reads a "..." body that starts after the opening quote, and returns it with the index of the closing quote. */
function readDoubleQuoted(text: string, start: number): [string, number] {
  let content = "";
  for (let i = start; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === '"') return [content, i];
    const next = text[i + 1];
    if (ch === "\\" && next !== undefined && '"\\$`'.includes(next)) {
      content += next;
      i++;
    } else {
      content += ch;
    }
  }
  throw specError(
    text,
    "a double quote is not closed",
    "close the quote or remove it",
  );
}

/**
 * Turns a parsed spec into the form the transport connects to. A
 * placeholder or a Vast.ai instance must first be resolved to an ssh
 * endpoint (by `vast.pick` or the provider client), so both are rejected.
 */
export function toResolvedHost(label: string, spec: HostSpec): ResolvedHost {
  switch (spec.kind) {
    case "local":
      return { kind: "local", label };
    case "ssh":
      return {
        kind: "ssh",
        label,
        destination: spec.destination,
        sshOptions: sshOptionsOf(spec),
      };
    case "placeholder":
      throw new HostSpecError(
        `Host @${label} is a placeholder and has no address yet.\nTry: add a vast.pick @${label} step before the first step that uses it, or pass --host ${label}=user@host.`,
      );
    case "vast":
      throw new HostSpecError(
        `Host @${label} is Vast.ai instance ${spec.instanceId}, whose ssh address is not known yet.\nTry: resolve it through the Vast.ai client (vast.wait) before connecting.`,
      );
  }
}

function sshOptionsOf(spec: SshSpec): string[] {
  const options: string[] = [];
  if (spec.port !== undefined) options.push("-p", String(spec.port));
  if (spec.identityFile !== undefined) options.push("-i", spec.identityFile);
  if (spec.jump !== undefined) options.push("-J", spec.jump);
  for (const option of spec.options) options.push("-o", option);
  return options;
}
