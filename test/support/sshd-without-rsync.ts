// Makes a test sshd behave like a host without some commands (rsync, tmux):
// every session runs through a ForceCommand wrapper whose PATH contains links
// to the system's commands except those. sshd (OpenSSH 9.2) ignores `SetEnv PATH=...`
// because it sets PATH itself, hence the wrapper. Subsystems such as sftp still run, because
// sshd passes their absolute path as the original command.
import { readdirSync, symlinkSync, existsSync } from "node:fs";
import {
  appendFile,
  chmod,
  mkdir,
  readFile,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../../src/remote/process.ts";
import type { TestSshd } from "./sshd.ts";

const SYSTEM_DIRS = [
  "/usr/local/bin",
  "/usr/bin",
  "/bin",
  "/usr/sbin",
  "/sbin",
];

/** Hides rsync from every later ssh session of `sshd`, then waits until sshd accepts logins again. */
export async function hideRsync(sshd: TestSshd): Promise<void> {
  await hideCommands(sshd, ["rsync"]);
}

/** Hides the named commands from every later ssh session of `sshd`. */
export async function hideCommands(
  sshd: TestSshd,
  names: string[],
): Promise<void> {
  const bin = join(sshd.dir, "bin-without-rsync");
  await mkdir(bin, { recursive: true });
  linkCommandsExcept(bin, new Set(names));

  const wrapper = join(sshd.dir, "without-rsync.sh");
  await writeFile(
    wrapper,
    [
      "#!/bin/sh",
      `PATH=${bin}; export PATH`,
      'if [ -z "$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh; fi',
      'eval "$SSH_ORIGINAL_COMMAND"',
      "",
    ].join("\n"),
  );
  await chmod(wrapper, 0o755);
  await appendFile(join(sshd.dir, "sshd_config"), `ForceCommand ${wrapper}\n`);

  // SIGHUP makes sshd re-read its config under the same PID.
  const pid = Number(
    (await readFile(join(sshd.dir, "sshd.pid"), "utf8")).trim(),
  );
  process.kill(pid, "SIGHUP");
  await waitForCommandGone(sshd, names[0]!);
}

/**
 * Gives `sshd` an rsync that reports `version` (e.g. "3.1.2") and exits 99,
 * naming the flag, when it is passed --modify-window=-1. Any other call runs
 * the real rsync. With `wholeSecondStat`, `stat -c %y` also prints whole
 * seconds, as on a file system that keeps no fractions.
 */
export async function fakeRsyncVersion(
  sshd: TestSshd,
  version: string,
  opts: { wholeSecondStat?: boolean } = {},
): Promise<void> {
  const hidden = opts.wholeSecondStat === true ? ["rsync", "stat"] : ["rsync"];
  await hideCommands(sshd, hidden);
  const bin = join(sshd.dir, "bin-without-rsync");
  await writeScript(join(bin, "rsync"), [
    "for arg do case $arg in",
    `  --version) echo "rsync  version ${version}  protocol version 31"; exit 0;;`,
    `  --modify-window=-1) echo "rsync ${version} was given --modify-window=-1" >&2; exit 99;;`,
    "esac; done",
    'exec /usr/bin/rsync "$@"',
  ]);
  if (opts.wholeSecondStat === true) {
    await writeScript(join(bin, "stat"), [
      'if [ "$1" = -c ] && [ "$2" = %y ]; then',
      "  echo '2026-12-04 17:41:29.000000000 +0000'; exit 0",
      "fi",
      'exec /usr/bin/stat "$@"',
    ]);
  }
}

async function writeScript(path: string, lines: string[]): Promise<void> {
  await writeFile(path, ["#!/bin/sh", ...lines, ""].join("\n"));
  await chmod(path, 0o755);
}

function linkCommandsExcept(bin: string, hidden: Set<string>): void {
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const link = join(bin, name);
      if (hidden.has(name) || existsSync(link)) continue;
      symlinkSync(join(dir, name), link);
    }
  }
}

async function waitForCommandGone(
  sshd: TestSshd,
  command: string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = "";
  while (Date.now() < deadline) {
    const result = await runProcess(
      [
        "ssh",
        "-F",
        sshd.sshConfigPath,
        "-o",
        "ControlMaster=no",
        sshd.alias,
        `command -v ${command} || echo ${command}-missing`,
      ],
      { timeoutMs: 5000 },
    );
    last = result.stdout + result.stderr;
    if (result.stdout.trim() === `${command}-missing`) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `sshd in ${sshd.dir} still offers ${command} after the restart: ${last}`,
  );
}
