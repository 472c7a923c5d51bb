// `train host add NAME --host ADDRESS ...`: the entry built from flags alone,
// with the same checks the prompts apply.
import {
  buildHostEntry,
  AUTH_METHODS,
  TUNNELS,
  type HostEntry,
} from "../../hosts/hosts-file.ts";
import {
  checkAddress,
  checkJump,
  checkKeyPath,
  checkPort,
  checkSshOption,
  checkUser,
  parsePort,
} from "../../hosts/validate.ts";
import { UsageError } from "../errors.ts";

export interface AddFlags {
  host?: string;
  port?: string;
  user?: string;
  key?: string;
  auth?: string;
  jump?: string;
  type?: string;
  tunnel?: string;
  sshOption: string[];
  force?: boolean;
}

function check(flag: string, problem: string | undefined): void {
  if (problem !== undefined)
    throw new UsageError(`invalid ${flag}: ${problem}`);
}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `invalid ${flag} "${value}": expected one of ${allowed.join(", ")}`,
  );
}

export function entryFromFlags(name: string, flags: AddFlags): HostEntry {
  const type = oneOf("--type", flags.type, ["ssh", "colab"] as const) ?? "ssh";
  const address = flags.host ?? "";
  check("--host", checkAddress(address));
  if (flags.port !== undefined) check("--port", checkPort(flags.port));
  if (flags.user !== undefined) check("--user", checkUser(flags.user));
  if (flags.jump !== undefined) check("--jump", checkJump(flags.jump));
  for (const option of flags.sshOption) check("-o", checkSshOption(option));
  return type === "colab"
    ? colabFromFlags(name, address, flags)
    : sshFromFlags(name, address, flags);
}

function sshFromFlags(
  name: string,
  address: string,
  flags: AddFlags,
): HostEntry {
  const auth =
    oneOf("--auth", flags.auth, AUTH_METHODS) ??
    (flags.key === undefined ? "agent" : "key");
  if (flags.key !== undefined && auth !== "key") {
    throw new UsageError(
      `--key conflicts with --auth ${auth}`,
      "drop --key, or use --auth key",
    );
  }
  if (auth === "key") check("--key", checkKeyPath(flags.key ?? ""));
  return buildHostEntry({
    name,
    type: "ssh",
    hostname: address,
    port: parsePort(flags.port ?? "22"),
    username: flags.user ?? "root",
    auth_method: auth,
    ssh_key_path: flags.key,
    jump_host: flags.jump === "" ? undefined : flags.jump,
    ssh_options: flags.sshOption,
  });
}

function colabFromFlags(
  name: string,
  address: string,
  flags: AddFlags,
): HostEntry {
  const tunnel = oneOf("--tunnel", flags.tunnel, TUNNELS);
  if (tunnel === undefined) {
    throw new UsageError(
      "a Colab host needs --tunnel cloudflared or --tunnel ngrok",
    );
  }
  if (tunnel === "ngrok" && flags.port === undefined) {
    throw new UsageError(
      "an ngrok tunnel needs --port, the port ngrok printed",
    );
  }
  return buildHostEntry({
    name,
    type: "colab",
    tunnel,
    hostname: address,
    port: parsePort(flags.port ?? "22"),
    username: flags.user ?? "root",
    auth_method: "password",
    ssh_options: flags.sshOption,
  });
}
