// scp takes most ssh options, but spells some differently: the port is
// `-P` (scp's `-p` preserves times), and scp's `-l` is a bandwidth limit,
// not the login name. Flags as in OpenSSH 9 ssh(1) and scp(1).
import { TransferError } from "./transfer-error.ts";

// ssh flags that take a value and mean the same for scp.
const SAME_WITH_VALUE = new Set(["-c", "-F", "-i", "-J", "-o"]);
// ssh flags without a value that scp accepts unchanged.
const SAME_WITHOUT_VALUE = new Set(["-4", "-6", "-C", "-q", "-v"]);
// ssh flags without a value that only matter for an interactive session or
// a remote command, so scp does not need them.
const SESSION_ONLY = new Set([
  "-T",
  "-t",
  "-n",
  "-N",
  "-f",
  "-x",
  "-X",
  "-Y",
  "-a",
  "-k",
  "-K",
  "-g",
  "-G",
  "-M",
  "-s",
  "-V",
]);
// ssh flags with a value that scp lacks but that have an `-o` form.
const AS_OPTION: Record<string, string> = {
  "-l": "User",
  "-b": "BindAddress",
  "-B": "BindInterface",
  "-m": "MACs",
  "-E": "LogFile",
  // scp's own -S names the program to use instead of ssh.
  "-S": "ControlPath",
};

/**
 * Converts ssh argv options (as in ResolvedHost.sshOptions) to scp ones.
 * Accepts `-p 22`, `-p22` and bundled flags without values (`-4C`).
 * Throws TransferError for a flag that scp cannot express.
 */
export function scpOptionsFromSsh(sshOptions: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sshOptions.length; i++) {
    const word = sshOptions[i] ?? "";
    if (!word.startsWith("-") || word.length < 2) throw unsupported(word);
    const flag = word.slice(0, 2);
    if (takesValue(flag)) {
      const attached = word.length > 2 ? word.slice(2) : undefined;
      const value = attached ?? sshOptions[++i];
      if (value === undefined) throw missingValue(flag);
      out.push(...convertWithValue(flag, value));
    } else {
      out.push(...convertBundle(word));
    }
  }
  return out;
}

function takesValue(flag: string): boolean {
  return flag === "-p" || SAME_WITH_VALUE.has(flag) || flag in AS_OPTION;
}

function convertWithValue(flag: string, value: string): string[] {
  if (flag === "-p") return ["-P", value];
  if (SAME_WITH_VALUE.has(flag)) return [flag, value];
  const option = AS_OPTION[flag];
  if (option === undefined) throw unsupported(flag);
  return ["-o", `${option}=${value}`];
}

// A word such as "-4C" contains several flags without values.
function convertBundle(word: string): string[] {
  const out: string[] = [];
  for (const letter of word.slice(1)) {
    const flag = `-${letter}`;
    if (SAME_WITHOUT_VALUE.has(flag)) out.push(flag);
    else if (flag === "-A") out.push("-o", "ForwardAgent=yes");
    else if (!SESSION_ONLY.has(flag)) throw unsupported(flag);
  }
  return out;
}

function unsupported(word: string): TransferError {
  return new TransferError(
    `Cannot copy with scp: the host's ssh option "${word}" has no scp equivalent.\nTry: install rsync on the host, so the transfer uses rsync with the same ssh options.`,
  );
}

function missingValue(flag: string): TransferError {
  return new TransferError(
    `Cannot copy with scp: the host's ssh option ${flag} has no value.\nTry: fix the host spec, e.g. ${flag === "-p" ? "-p 2222" : `${flag} VALUE`}.`,
  );
}
