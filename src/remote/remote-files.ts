// Reading directories and files on a host for `train host browse`, through
// the host's shared ssh connection. Listings use `ls -la` in the C locale,
// whose format GNU coreutils and BusyBox share.
import { quote } from "./quote.ts";
import { runProcess, type ProcessResult } from "./process.ts";
import { sshArgv, type SshHost } from "./ssh-options.ts";

const TIMEOUT_MS = 30_000;
const HEAD_BYTES = 8192;

export class RemoteFileError extends Error {
  constructor(
    message: string,
    readonly result: ProcessResult,
  ) {
    super(message);
    this.name = "RemoteFileError";
  }
}

/** A path for the remote shell: `~` and `~/x` expand to $HOME there. */
export function remotePathWord(path: string): string {
  if (path === "~") return '"$HOME"';
  if (path.startsWith("~/")) return `"$HOME"/${quote(path.slice(2))}`;
  return quote(path);
}

async function run(host: SshHost, script: string): Promise<ProcessResult> {
  return runProcess(sshArgv(host, `sh -c ${quote(script)}`), {
    host: host.label,
    timeoutMs: TIMEOUT_MS,
  });
}

/** Lists a directory; returns its absolute path and the raw `ls -la` output. */
export async function listDirectory(
  host: SshHost,
  path: string,
): Promise<{ path: string; listing: string }> {
  const result = await run(
    host,
    `cd -- ${remotePathWord(path)} && pwd && LC_ALL=C ls -la`,
  );
  if (result.failed) {
    throw new RemoteFileError(
      `cannot list ${path} on @${host.label}: ${lastLine(result.stderr)}`,
      result,
    );
  }
  const newline = result.stdout.indexOf("\n");
  return {
    path: result.stdout.slice(0, newline),
    listing: result.stdout.slice(newline + 1),
  };
}

/** Reads the first bytes of a file. */
export async function readHead(host: SshHost, path: string): Promise<Buffer> {
  const result = await run(
    host,
    `head -c ${HEAD_BYTES} -- ${remotePathWord(path)}`,
  );
  if (result.failed) {
    throw new RemoteFileError(
      `cannot read ${path} on @${host.label}: ${lastLine(result.stderr)}`,
      result,
    );
  }
  return Buffer.from(result.stdout, "utf8");
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}
