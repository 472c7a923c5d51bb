import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  copyFile,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { parseHostSpec, toResolvedHost } from "../../src/hosts/spec.ts";
import {
  runProcess,
  spawnProcess,
  type ProcessResult,
} from "../../src/remote/process.ts";
import {
  classifySshFailure,
  controlCommand,
  controlPathOf,
  ControlPathError,
  describeSshFailure,
  ensureMaster,
  sshArgv,
  sshBaseOptions,
  sshCommandForRsync,
  stopMaster,
  type SshFailureKind,
  type SshHost,
} from "../../src/remote/ssh.ts";
import {
  freePort,
  generateUnauthorizedKey,
  hostSpecFor,
  restartWithNewHostKey,
  startSshd,
  type TestSshd,
} from "../support/sshd.ts";

function sshHost(label: string, spec: string): SshHost {
  const host = toResolvedHost(label, parseHostSpec(spec));
  assert.equal(host.kind, "ssh");
  return host as SshHost;
}

const createdControlDirs: string[] = [];

after(async () => {
  for (const dir of createdControlDirs) {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Gives each test its own ControlPath directory, so no master carries over. */
async function useFreshControlDir(): Promise<string> {
  const dir = await mkdtemp("/tmp/tsh-cm-");
  createdControlDirs.push(dir);
  process.env.TRAINSH_CONTROL_DIR = dir;
  return dir;
}

/** PIDs of background ssh masters (`ssh -N -f`) for `port`. */
function masterPids(port: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const portIndex = argv.indexOf("-p");
      if (
        argv[0] === "ssh" &&
        argv.includes("-N") &&
        argv[portIndex + 1] === String(port)
      ) {
        found.push(Number(entry));
      }
    } catch {
      // The process ended while it was read.
    }
  }
  return found;
}

function fakeResult(
  exitCode: number | null,
  stderr: string,
  timedOut = false,
): ProcessResult {
  return {
    command: ["ssh", "gpu1", "true"],
    host: "gpu1",
    exitCode,
    signal: null,
    timedOut,
    durationMs: 15000,
    stdout: "",
    stderr,
    failed: true,
  };
}

describe("ssh options", () => {
  const saved = { ...process.env };
  after(() => {
    process.env = saved;
  });

  test("base options include multiplexing and keepalives", async () => {
    const dir = await useFreshControlDir();
    delete process.env.TRAINSH_SSH_CONFIG;
    const options = sshBaseOptions(sshHost("gpu1", "root@gpu1"));
    const path = options.find((option) => option.startsWith("ControlPath="));
    assert.match(path ?? "", new RegExp(`^ControlPath=${dir}/%C-[0-9a-f]{8}$`));
    for (const expected of [
      "ControlMaster=auto",
      "ControlPersist=600",
      "ServerAliveInterval=15",
      "ServerAliveCountMax=3",
      "ConnectTimeout=15",
      "BatchMode=yes",
    ]) {
      const index = options.indexOf(expected);
      assert.ok(index > 0, `missing ${expected}`);
      assert.equal(options[index - 1], "-o");
    }
    assert.equal(options.includes("-F"), false);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
  });

  test("TRAINSH_SSH_CONFIG adds -F", async () => {
    await useFreshControlDir();
    process.env.TRAINSH_SSH_CONFIG = "/etc/trainsh/ssh_config";
    const options = sshBaseOptions(sshHost("gpu1", "root@gpu1"));
    assert.deepEqual(options.slice(0, 2), ["-F", "/etc/trainsh/ssh_config"]);
    delete process.env.TRAINSH_SSH_CONFIG;
  });

  test("default control dir is short", () => {
    delete process.env.TRAINSH_CONTROL_DIR;
    const path = sshBaseOptions(sshHost("gpu1", "root@gpu1")).find((option) =>
      option.startsWith("ControlPath="),
    );
    assert.match(
      path ?? "",
      new RegExp(
        `^ControlPath=/tmp/trainsh-cm-${process.getuid?.()}/%C-[0-9a-f]{8}$`,
      ),
    );
  });

  test("another key gets another master", () => {
    const tag = (spec: string) =>
      sshBaseOptions(sshHost("gpu1", spec)).find((option) =>
        option.startsWith("ControlPath="),
      );
    assert.notEqual(tag("root@gpu1 -i /k/one"), tag("root@gpu1 -i /k/two"));
    assert.equal(tag("root@gpu1 -i /k/one"), tag("root@gpu1 -i /k/one"));
  });

  test("long control dir is rejected", () => {
    process.env.TRAINSH_CONTROL_DIR = `/tmp/${"x".repeat(60)}`;
    assert.throws(
      () => sshBaseOptions(sshHost("gpu1", "root@gpu1")),
      /too long for a unix socket path[\s\S]*Try: /,
    );
  });

  test("shared control dir is rejected", async () => {
    const dir = await mkdtemp("/tmp/tsh-cm-");
    await runProcess(["chmod", "755", dir]);
    process.env.TRAINSH_CONTROL_DIR = dir;
    assert.throws(
      () => sshBaseOptions(sshHost("gpu1", "root@gpu1")),
      /not a private directory/,
    );
    await rm(dir, { recursive: true });
  });

  test("sshArgv puts command last", async () => {
    await useFreshControlDir();
    const host = sshHost("gpu1", "root@gpu1 -p 2222 -J bastion");
    const argv = sshArgv(host, "echo 'a b'");
    // The host's options come right after `ssh`, so they win over defaults.
    assert.deepEqual(argv.slice(0, 5), ["ssh", "-p", "2222", "-J", "bastion"]);
    assert.deepEqual(argv.slice(-2), ["root@gpu1", "echo 'a b'"]);
    assert.equal(argv.includes("/dev/null"), false);
    assert.deepEqual(sshArgv(host).slice(-1), ["root@gpu1"]);
  });

  test("rsync command quotes odd words", async () => {
    await useFreshControlDir();
    const host = sshHost(
      "gpu1",
      `root@gpu1 -i "/keys/it's key" -o "ServerAliveCountMax 3"`,
    );
    const command = sshCommandForRsync(host);
    assert.match(
      command,
      /^ssh -i '\/keys\/it''s key' -o 'ServerAliveCountMax 3' /,
    );
  });
});

describe("classifySshFailure messages", () => {
  const cases: [string, ProcessResult, SshFailureKind][] = [
    ["remote exit 42", fakeResult(42, ""), "remote"],
    ["remote exit 255", fakeResult(255, "my script failed\n"), "remote"],
    ["timed out", fakeResult(null, "", true), "timeout"],
    [
      "publickey denied",
      fakeResult(255, "root@h: Permission denied (publickey).\n"),
      "auth",
    ],
    [
      "changed host key",
      fakeResult(
        255,
        "@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n",
      ),
      "host-key-changed",
    ],
    [
      "unknown host key",
      fakeResult(255, "Host key verification failed.\n"),
      "host-key-unknown",
    ],
    [
      "refused",
      fakeResult(
        255,
        "ssh: connect to host 203.0.113.10 port 41234: Connection refused\n",
      ),
      "unreachable",
    ],
    [
      "no route",
      fakeResult(
        255,
        "ssh: connect to host 10.0.0.5 port 22: No route to host\n",
      ),
      "unreachable",
    ],
    [
      "bad name",
      fakeResult(
        255,
        "ssh: Could not resolve hostname gpu9: Name or service not known\n",
      ),
      "unreachable",
    ],
    [
      "connect timeout",
      fakeResult(
        255,
        "ssh: connect to host 10.0.0.5 port 22: Connection timed out\n",
      ),
      "timeout",
    ],
    [
      "closed",
      fakeResult(255, "Connection closed by 10.0.0.5 port 22\n"),
      "connection-lost",
    ],
    [
      "broken pipe",
      fakeResult(255, "client_loop: send disconnect: Broken pipe\n"),
      "connection-lost",
    ],
    [
      "keepalive",
      fakeResult(255, "Timeout, server 10.0.0.5 not responding.\n"),
      "connection-lost",
    ],
    [
      "killed",
      { ...fakeResult(null, ""), signal: "SIGKILL" },
      "connection-lost",
    ],
  ];
  for (const [name, result, kind] of cases) {
    test(`classify ${name}`, () => {
      assert.equal(classifySshFailure(result), kind);
    });
  }

  test("every description has next step", () => {
    const kinds: SshFailureKind[] = [
      "auth",
      "host-key-changed",
      "host-key-unknown",
      "unreachable",
      "timeout",
      "connection-lost",
      "remote",
    ];
    for (const kind of kinds) {
      const message = describeSshFailure(
        kind,
        "gpu1",
        fakeResult(255, "ssh: something went wrong\n"),
      );
      assert.match(message, /@gpu1/, kind);
      assert.match(message, /\nTry: \S/, kind);
    }
  });

  test("description quotes the ssh line", () => {
    const result = fakeResult(
      255,
      "ssh: connect to host 203.0.113.10 port 41234: Connection refused\n",
    );
    const message = describeSshFailure("unreachable", "gpu1", result);
    assert.match(
      message,
      /^Cannot reach @gpu1 \(ssh: connect to host 203\.0\.113\.10 port 41234: Connection refused\)\./,
    );
  });
});

describe("ssh against loopback sshd", () => {
  let sshd: TestSshd;
  let host: SshHost;

  before(async () => {
    sshd = await startSshd();
  });

  beforeEach(async () => {
    await useFreshControlDir();
    host = sshHost("loop", sshd.hostSpec);
  });

  after(async () => {
    await stopMaster(host);
    await sshd.stop();
  });

  test("remote exit codes pass through", async () => {
    const result = await runProcess(sshArgv(host, "exit 42"), {
      host: "loop",
      timeoutMs: 20_000,
    });
    assert.equal(result.exitCode, 42);
    assert.equal(classifySshFailure(result), "remote");
  });

  test("remote exit 255 is remote", async () => {
    const result = await runProcess(
      sshArgv(host, "echo from-script >&2; exit 255"),
      { timeoutMs: 20_000 },
    );
    assert.equal(result.exitCode, 255);
    assert.equal(classifySshFailure(result), "remote");
  });

  test("wrong key is auth failure", async () => {
    const wrongKey = await generateUnauthorizedKey(sshd);
    const wrong = sshHost("loop", hostSpecFor(sshd, { keyPath: wrongKey }));
    const result = await runProcess(sshArgv(wrong, "true"), {
      timeoutMs: 20_000,
    });
    assert.equal(result.exitCode, 255);
    assert.equal(classifySshFailure(result), "auth");
    assert.match(
      describeSshFailure("auth", "loop", result),
      /Permission denied/,
    );
  });

  test("wrong port is unreachable", async () => {
    const closed = sshHost(
      "loop",
      hostSpecFor(sshd, { port: await freePort() }),
    );
    const result = await runProcess(sshArgv(closed, "true"), {
      timeoutMs: 20_000,
    });
    assert.equal(result.exitCode, 255);
    assert.equal(classifySshFailure(result), "unreachable");
  });

  test("unknown host key is detected", async () => {
    const spec = `root@127.0.0.1 -p ${sshd.port} -i ${sshd.keyPath} -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes`;
    const result = await runProcess(sshArgv(sshHost("loop", spec), "true"), {
      timeoutMs: 20_000,
    });
    assert.equal(classifySshFailure(result), "host-key-unknown");
  });

  test("ssh_config alias is honoured", async () => {
    process.env.TRAINSH_SSH_CONFIG = sshd.sshConfigPath;
    try {
      const alias = sshHost("alias", sshd.alias);
      const result = await runProcess(sshArgv(alias, "echo via-alias"), {
        timeoutMs: 20_000,
      });
      assert.equal(result.stdout, "via-alias\n", result.stderr);
      await stopMaster(alias);
    } finally {
      delete process.env.TRAINSH_SSH_CONFIG;
    }
  });

  test("rsync runs with same options", async () => {
    const oddKey = join(sshd.dir, "it's key");
    await copyFile(sshd.keyPath, oddKey);
    const spec = [
      `root@127.0.0.1 -p ${sshd.port} -i "${oddKey}"`,
      `-o UserKnownHostsFile=${sshd.knownHostsPath} -o StrictHostKeyChecking=yes`,
      `-o IdentitiesOnly=yes -o "ServerAliveCountMax 3"`,
    ].join(" ");
    const odd = sshHost("loop", spec);
    const source = join(sshd.dir, "payload.txt");
    await writeFile(source, "rsync payload\n");
    const target = join(sshd.dir, "copied.txt");
    const argv = [
      "rsync",
      "-e",
      sshCommandForRsync(odd),
      source,
      `${odd.destination}:${target}`,
    ];
    const result = await runProcess(argv, { timeoutMs: 30_000 });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(await readFile(target, "utf8"), "rsync payload\n");
  });

  test("ensureMaster starts one master", async () => {
    await Promise.all([
      ensureMaster(host),
      ensureMaster(host),
      ensureMaster(host),
    ]);
    const check = await controlCommand(host, "check");
    assert.equal(check.exitCode, 0, check.stderr);
    assert.match(check.stderr, /Master running/);
    assert.equal(masterPids(sshd.port).length, 1);
    const path = await controlPathOf(host);
    assert.ok(lstatSync(path).isSocket());
    assert.ok(Buffer.byteLength(path) < 108);
    await stopMaster(host);
  });

  test("stale socket is replaced", async () => {
    const path = await controlPathOf(host);
    const holder = spawnProcess([
      process.execPath,
      "-e",
      `require("net").createServer().listen(${JSON.stringify(path)})`,
    ]);
    while (!existsSync(path))
      await new Promise((resolve) => setTimeout(resolve, 20));
    holder.child.kill("SIGKILL");
    await holder.exited;
    assert.ok(lstatSync(path).isSocket(), "the dead listener left its socket");
    const before = await controlCommand(host, "check");
    assert.match(before.stderr, /Connection refused/);
    await ensureMaster(host);
    const check = await controlCommand(host, "check");
    assert.equal(check.exitCode, 0, check.stderr);
    await stopMaster(host);
  });

  test("regular file is never deleted", async () => {
    const path = await controlPathOf(host);
    await writeFile(path, "not a socket\n");
    await assert.rejects(ensureMaster(host), (error: unknown) => {
      assert.ok(error instanceof ControlPathError);
      assert.match(error.message, /^ControlPath .* is not a socket/);
      assert.match(error.message, /\nTry: /);
      return true;
    });
    assert.equal(await readFile(path, "utf8"), "not a socket\n");
    await rm(path);
  });

  test("wedged master is replaced", async () => {
    const path = await controlPathOf(host);
    const silent: Server = createServer(() => {
      // Accepts every client and never responds, like a hung master.
    });
    await new Promise<void>((resolve) => silent.listen(path, resolve));
    try {
      const started = Date.now();
      await ensureMaster(host, { probeTimeoutMs: 300 });
      assert.ok(
        Date.now() - started < 10_000,
        `took ${Date.now() - started} ms`,
      );
      const check = await controlCommand(host, "check");
      assert.equal(check.exitCode, 0, check.stderr);
    } finally {
      // Stop the master first: closing the server unlinks the path, which
      // now belongs to the new master.
      await stopMaster(host);
      silent.close();
    }
  });

  test("repeated reconnects leave one master", async () => {
    for (let round = 0; round < 5; round++) {
      await ensureMaster(host);
      const pids = masterPids(sshd.port);
      assert.equal(pids.length, 1, `round ${round}: masters ${pids.join(",")}`);
      // SIGKILL leaves the socket behind without a listener.
      process.kill(pids[0] ?? 0, "SIGKILL");
      while (masterPids(sshd.port).length > 0)
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ensureMaster(host);
    assert.equal(masterPids(sshd.port).length, 1);
    await stopMaster(host);
  });
});

describe("host key change", () => {
  test("changed host key is detected", async () => {
    await useFreshControlDir();
    const first = await startSshd();
    const host = sshHost("loop", first.hostSpec);
    let second: TestSshd | undefined;
    try {
      await ensureMaster(host);
      second = await restartWithNewHostKey(first);
      const result = await runProcess(sshArgv(host, "true"), {
        timeoutMs: 20_000,
      });
      assert.equal(result.exitCode, 255);
      assert.equal(classifySshFailure(result), "host-key-changed");
      assert.match(
        describeSshFailure("host-key-changed", "loop", result),
        /ssh-keygen -R/,
      );
    } finally {
      await (second ?? first).stop();
    }
  });
});
