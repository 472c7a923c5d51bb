// Gives a test sshd's sessions an ssh client with their own configuration,
// as a real host has its own ~/.ssh. Both test "hosts" are this machine and
// root, so the sessions' `ssh` is a wrapper that reads a config under the
// sshd's dir instead of root's real ~/.ssh. A ForceCommand wrapper puts it
// first in PATH, because sshd (OpenSSH 9.2) sets PATH itself.
import {
  appendFile,
  chmod,
  mkdir,
  readFile,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../../src/remote/process.ts";
import { generateUnauthorizedKey, type TestSshd } from "./sshd.ts";

export interface OwnSsh {
  /** The host's own client key; no server accepts it until authorized. */
  keyPath: string;
  /** The host's own known_hosts, empty at first. */
  knownHostsPath: string;
}

/** Installs the own ssh client for every later session of `sshd`. */
export async function giveOwnSsh(sshd: TestSshd): Promise<OwnSsh> {
  const keyPath = await generateUnauthorizedKey(sshd);
  const knownHostsPath = join(sshd.dir, "own_known_hosts");
  await writeFile(knownHostsPath, "");
  const config = join(sshd.dir, "own_ssh_config");
  await writeFile(
    config,
    [
      "Host *",
      `  IdentityFile ${keyPath}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${knownHostsPath}`,
      "",
    ].join("\n"),
  );

  const bin = join(sshd.dir, "bin-own-ssh");
  await mkdir(bin, { recursive: true });
  await writeExecutable(
    join(bin, "ssh"),
    `#!/bin/sh\nexec /usr/bin/ssh -F ${config} "$@"\n`,
  );
  const wrapper = join(sshd.dir, "own-ssh.sh");
  await writeExecutable(
    wrapper,
    [
      "#!/bin/sh",
      `PATH=${bin}:/usr/local/bin:/usr/bin:/bin; export PATH`,
      'if [ -z "$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh; fi',
      'eval "$SSH_ORIGINAL_COMMAND"',
      "",
    ].join("\n"),
  );
  await appendFile(join(sshd.dir, "sshd_config"), `ForceCommand ${wrapper}\n`);
  // SIGHUP makes sshd re-read its config under the same PID.
  const pid = Number(
    (await readFile(join(sshd.dir, "sshd.pid"), "utf8")).trim(),
  );
  process.kill(pid, "SIGHUP");
  await waitForWrapper(sshd, bin);
  return { keyPath, knownHostsPath };
}

/** Lets `own` log in to `server`: authorizes its key and records the server's host key. */
export async function trustFrom(own: OwnSsh, server: TestSshd): Promise<void> {
  await appendFile(
    join(server.dir, "authorized_keys"),
    await readFile(`${own.keyPath}.pub`),
  );
  await appendFile(
    own.knownHostsPath,
    await readFile(server.knownHostsPath, "utf8"),
  );
}

/** Authorizes the own key on `server` but leaves its host key unknown. */
export async function authorizeOnly(
  own: OwnSsh,
  server: TestSshd,
): Promise<void> {
  await appendFile(
    join(server.dir, "authorized_keys"),
    await readFile(`${own.keyPath}.pub`),
  );
}

async function writeExecutable(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await chmod(path, 0o755);
}

async function waitForWrapper(sshd: TestSshd, bin: string): Promise<void> {
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
        "command -v ssh",
      ],
      { timeoutMs: 5000 },
    );
    last = result.stdout + result.stderr;
    if (result.stdout.trim() === join(bin, "ssh")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `sshd in ${sshd.dir} does not use the own ssh wrapper after the reload: ${last}`,
  );
}
