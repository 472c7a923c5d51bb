// Checks for the fields of a host entry, shared by the `host add` prompts
// (which ask again on a problem) and its flags (which fail with exit 2).
// Each returns the problem in words, or undefined when the value is valid.
import { existsSync, statSync } from "node:fs";
import { TARGET_NAME } from "../recipe/names.ts";
import { expandHome } from "../util/paths.ts";

const RESERVED_NAMES = new Set(["local", "placeholder"]);

export function checkHostName(name: string): string | undefined {
  if (name === "") return "a name is required";
  if (RESERVED_NAMES.has(name))
    return `"${name}" is a reserved host spec word; pick another name`;
  if (!TARGET_NAME.test(name))
    return "use letters, digits, _, . and - (starting with a letter, digit or _), so recipes can write @NAME";
  return undefined;
}

export function checkAddress(address: string): string | undefined {
  if (address === "") return "an address is required";
  if (address.includes("@"))
    return "give the user separately (--user); the address is only the hostname or IP";
  if (/[\s'"`$\\]/.test(address))
    return "an address has no spaces, quotes, $ or backslashes";
  if (address.startsWith("-")) return "an address cannot start with -";
  return undefined;
}

export function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function checkPort(text: string): string | undefined {
  return parsePort(text) === undefined
    ? `port "${text}" is not a whole number from 1 to 65535`
    : undefined;
}

export function checkUser(user: string): string | undefined {
  if (user === "") return "a user name is required";
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(user))
    return `user "${user}" may contain only letters, digits, _, . and -`;
  return undefined;
}

export function checkKeyPath(path: string): string | undefined {
  if (path === "") return "a key path is required";
  const full = expandHome(path);
  if (!existsSync(full)) return `no key file at ${full}`;
  if (!statSync(full).isFile()) return `${full} is not a file`;
  return undefined;
}

/** A jump host is optional: empty means none. */
export function checkJump(jump: string): string | undefined {
  if (jump === "") return undefined;
  if (/[\s'"`$\\]/.test(jump))
    return "a jump host is [user@]host[:port] or a hosts.toml / ssh_config name, without spaces or quotes";
  return undefined;
}

export function checkSshOption(option: string): string | undefined {
  return /^[A-Za-z]+=\S.*$/.test(option)
    ? undefined
    : `ssh option "${option}" must look like Key=Value, e.g. StrictHostKeyChecking=yes`;
}
