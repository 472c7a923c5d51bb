// `train colab connect [NAME]`: prints the notebook cell that starts an SSH
// server behind a tunnel, then stores the tunnel address as a colab host in
// hosts.toml, from flags or by asking.
import { existsSync, readFileSync } from "node:fs";
import { readSettings } from "../../config/settings.ts";
import {
  buildHostEntry,
  readHostsFile,
  saveHostEntry,
  type HostEntry,
} from "../../hosts/hosts-file.ts";
import {
  checkAddress,
  checkHostName,
  checkKeyPath,
  checkSshOption,
} from "../../hosts/validate.ts";
import { notebookCell } from "../../providers/colab/notebook-cell.ts";
import {
  parseNgrokAddress,
  passwordSecretName,
  type Tunnel,
} from "../../providers/colab/connections.ts";
import { secretStore } from "../../secrets/provider.ts";
import { expandHome } from "../../util/paths.ts";
import { askChoice, askSecret, askText, canPrompt } from "../../ui/prompt.ts";
import { CommandError, UsageError } from "../errors.ts";

export interface ConnectFlags {
  cloudflared?: string;
  ngrok?: string;
  key?: string;
  sshOption: string[];
  password?: boolean;
  passwordStdin?: boolean;
  printCell?: boolean;
  force?: boolean;
}

const FLAGS_HINT =
  "train colab connect NAME --cloudflared HOSTNAME | --ngrok HOST:PORT [--key PATH]";

interface Address {
  tunnel: Tunnel;
  hostname: string;
  port: number;
}

export async function connectCommand(
  name: string | undefined,
  flags: ConnectFlags,
): Promise<void> {
  const keyPath = keyPathOf(flags);
  const usePassword = flags.password === true || flags.passwordStdin === true;

  const fromFlags =
    flags.cloudflared !== undefined || flags.ngrok !== undefined;
  if (flags.printCell === true) {
    const tunnel: Tunnel = flags.ngrok !== undefined ? "ngrok" : "cloudflared";
    process.stdout.write(
      cellFor(tunnel, usePassword ? undefined : keyPath) + "\n",
    );
    return;
  }
  if (!fromFlags && !canPrompt()) {
    throw new UsageError(
      "`train colab connect` without --cloudflared or --ngrok needs an interactive terminal, and stdin is not one",
      `pass flags: ${FLAGS_HINT}; --print-cell prints the notebook cell`,
    );
  }

  const hostName = await nameOf(name, flags.force === true, fromFlags);
  const address = fromFlags
    ? addressFromFlags(flags)
    : await askAddress(usePassword ? undefined : keyPath);
  for (const option of flags.sshOption) {
    const problem = checkSshOption(option);
    if (problem !== undefined) throw new UsageError(`invalid -o: ${problem}`);
  }

  const entry = buildEntry(
    hostName,
    address,
    usePassword ? undefined : keyPath,
    flags.sshOption,
  );
  if (usePassword) await storePassword(hostName, flags.passwordStdin === true);
  const outcome = saveHostEntry(entry, flags.force === true);
  process.stderr.write(
    `${outcome} Colab connection ${hostName} (${address.tunnel}, ${address.hostname}:${address.port})\n` +
      `open a shell with \`train colab ssh ${hostName}\`; use it in a recipe as \`host gpu = ${hostName}\`\n`,
  );
}

function keyPathOf(flags: ConnectFlags): string | undefined {
  const path = flags.key ?? readSettings().defaults.ssh_key_path;
  if (flags.key !== undefined) {
    const problem = checkKeyPath(flags.key);
    if (problem !== undefined)
      throw new UsageError(`invalid --key: ${problem}`);
  }
  const full = expandHome(path);
  return existsSync(full) ? full : undefined;
}

function cellFor(tunnel: Tunnel, keyPath: string | undefined): string {
  const publicFile = keyPath === undefined ? undefined : `${keyPath}.pub`;
  const publicKey =
    publicFile !== undefined && existsSync(publicFile)
      ? readFileSync(publicFile, "utf8")
      : undefined;
  return notebookCell(tunnel, publicKey);
}

async function nameOf(
  name: string | undefined,
  force: boolean,
  fromFlags: boolean,
): Promise<string> {
  const taken = new Set(readHostsFile().map((entry) => entry.name));
  const problemOf = (candidate: string) =>
    checkHostName(candidate) ??
    (!force && taken.has(candidate)
      ? `host "${candidate}" already exists; pick another name or pass --force`
      : undefined);
  if (name === undefined) {
    if (fromFlags)
      throw new UsageError(
        "a connection name is required with --cloudflared or --ngrok",
        FLAGS_HINT,
      );
    return askText({
      message: "Connection name (used as @NAME in recipes)",
      check: problemOf,
    });
  }
  const problem = problemOf(name);
  if (problem !== undefined)
    throw new UsageError(`invalid connection name "${name}": ${problem}`);
  return name;
}

function addressFromFlags(flags: ConnectFlags): Address {
  if (flags.cloudflared !== undefined && flags.ngrok !== undefined)
    throw new UsageError(
      "--cloudflared and --ngrok conflict; a connection has one tunnel",
    );
  if (flags.cloudflared !== undefined) {
    const problem = checkAddress(flags.cloudflared);
    if (problem !== undefined)
      throw new UsageError(
        `invalid --cloudflared "${flags.cloudflared}": ${problem}`,
      );
    return { tunnel: "cloudflared", hostname: flags.cloudflared, port: 22 };
  }
  const parsed = parseNgrokAddress(flags.ngrok ?? "");
  if (parsed === undefined)
    throw new UsageError(
      `invalid --ngrok "${flags.ngrok}": expected HOST:PORT as ngrok printed it, e.g. 0.tcp.ngrok.io:12345`,
    );
  return { tunnel: "ngrok", ...parsed };
}

async function askAddress(keyPath: string | undefined): Promise<Address> {
  const tunnel = await askChoice<Tunnel>("Tunnel the notebook opens", [
    {
      value: "cloudflared",
      label: "cloudflared",
      hint: "no account needed; cloudflared must be installed here",
    },
    {
      value: "ngrok",
      label: "ngrok",
      hint: "needs an ngrok authtoken in the notebook",
    },
  ]);
  process.stdout.write(
    `\nRun this in a Colab notebook cell:\n\n${cellFor(tunnel, keyPath)}\n\n`,
  );
  if (tunnel === "cloudflared") {
    const hostname = await askText({
      message: "cloudflared hostname the cell printed",
      placeholder: "xxx.trycloudflare.com",
      check: checkAddress,
    });
    return { tunnel, hostname, port: 22 };
  }
  const text = await askText({
    message: "ngrok address the cell printed (HOST:PORT)",
    placeholder: "0.tcp.ngrok.io:12345",
    check: (answer) =>
      parseNgrokAddress(answer) === undefined
        ? "expected HOST:PORT"
        : undefined,
  });
  return { tunnel, ...(parseNgrokAddress(text) ?? { hostname: "", port: 22 }) };
}

function buildEntry(
  name: string,
  address: Address,
  keyPath: string | undefined,
  sshOptions: string[],
): HostEntry {
  return buildHostEntry({
    name,
    type: "colab",
    tunnel: address.tunnel,
    hostname: address.hostname,
    port: address.port,
    username: "root",
    auth_method: keyPath === undefined ? "password" : "key",
    ssh_key_path: keyPath,
    ssh_options: sshOptions,
  });
}

async function storePassword(name: string, fromStdin: boolean): Promise<void> {
  const password = fromStdin
    ? await readStdin()
    : await askSecret("root password set in the notebook");
  if (password === "")
    throw new CommandError(
      "the password is empty",
      "type the password the notebook cell set",
    );
  const secret = passwordSecretName(name);
  const where = secretStore().set(secret, password);
  process.stderr.write(`stored the password as secret ${secret} (${where})\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
