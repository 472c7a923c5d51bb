import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import {
  ChannelError,
  openChannel,
  type Channel,
} from "../../src/remote/channel.ts";
import { ConnectionPool } from "../../src/remote/pool.ts";
import { stopMaster } from "../../src/remote/ssh.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

// Step-script-like content: quotes, expansions, backslashes, a fake heredoc
// end, non-ASCII, CRLF and trailing newlines, grown past 8 KB.
function trickyContent(): string {
  const line = `echo 'single' "double $HOME \${X}" \`id\` \\ \\\\n $(date) ) EOF ünïcødé 日本 🚀\r\n`;
  let text = "#!/bin/sh\nset -e\n";
  while (Buffer.byteLength(text) < 9000) text += line;
  return `${text}EOF\nTSH_EOF_0000\n\n\n`;
}

/** PIDs of this process's children whose command line contains `needle`. */
function childPids(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll(
        "\0",
        " ",
      );
      if (ppid === process.pid && cmdline.includes(needle))
        found.push(Number(entry));
    } catch {
      // The process ended while it was read.
    }
  }
  return found;
}

async function expectChannelError(
  promise: Promise<unknown>,
  kind: string,
): Promise<ChannelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(
      error instanceof ChannelError,
      `expected ChannelError, got ${String(error)}`,
    );
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(
    `expected a ChannelError of kind ${kind}, but the request succeeded`,
  );
}

interface Target {
  host: ResolvedHost;
  /** Text in the command line of the local process behind the channel. */
  processNeedle: string;
}

function channelSuite(
  name: string,
  setup: () => Promise<Target>,
  teardown: () => Promise<void>,
): void {
  describe(`${name} channel`, () => {
    let target: Target;
    let channel: Channel;
    let workDir: string;

    before(async () => {
      target = await setup();
      channel = await openChannel(target.host);
      workDir = await mkdtemp(join(tmpdir(), "trainsh-channel-"));
    });

    after(async () => {
      await channel?.close();
      await rm(workDir, { recursive: true, force: true });
      await teardown();
    });

    test("run returns stdout and exit", async () => {
      const result = await channel.run("echo hello; exit 0");
      assert.equal(result.exitCode, 0);
      assert.equal(result.stdout.toString(), "hello\n");
      assert.equal(result.stderr, "");
    });

    test("run reports non-zero exit", async () => {
      const result = await channel.run("echo partial; exit 42");
      assert.equal(result.exitCode, 42);
      assert.equal(result.stdout.toString(), "partial\n");
    });

    test("run passes exit 255 through", async () => {
      const result = await channel.run("exit 255");
      assert.equal(result.exitCode, 255);
    });

    test("run captures stderr separately", async () => {
      const result = await channel.run(
        "echo out; echo oops >&2; echo more >&2; exit 1",
      );
      assert.equal(result.stdout.toString(), "out\n");
      assert.equal(result.stderr, "oops\nmore\n");
      assert.equal(result.exitCode, 1);
    });

    test("syntax error keeps channel usable", async () => {
      const broken = await channel.run("if then fi (");
      assert.equal(broken.exitCode, 2);
      assert.match(broken.stderr, /[Ss]yntax error/);
      const next = await channel.run("echo still-here");
      assert.equal(next.stdout.toString(), "still-here\n");
    });

    test("exit and cd stay inside request", async () => {
      await channel.run("cd /tmp; exit 5");
      const result = await channel.run("pwd");
      assert.notEqual(result.stdout.toString(), "/tmp\n");
    });

    test("stdin of a request is empty", async () => {
      const result = await channel.run("cat; echo done");
      assert.equal(result.stdout.toString(), "done\n");
    });

    test("many sequential requests stay ordered", async () => {
      for (let i = 0; i < 300; i++) {
        const result = await channel.run(`printf '%s' ${i}; exit ${i % 7}`);
        assert.equal(result.stdout.toString(), String(i));
        assert.equal(result.exitCode, i % 7);
      }
    });

    test("concurrent requests are serialized", async () => {
      const runs = Array.from({ length: 25 }, (_, i) =>
        channel.run(`sleep 0.0$((${i} % 3)); echo ${i}`),
      );
      const results = await Promise.all(runs);
      results.forEach((result, i) =>
        assert.equal(result.stdout.toString(), `${i}\n`),
      );
    });

    test("binary stdout round-trips exactly", async () => {
      const result = await channel.run("printf '\\000\\001\\377\\376\\n\\n@@'");
      assert.deepEqual(
        result.stdout,
        Buffer.from([0, 1, 0xff, 0xfe, 0x0a, 0x0a, 0x40, 0x40]),
      );
    });

    test("large stdout arrives whole", async () => {
      const result = await channel.run(
        "i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done",
      );
      const lines = result.stdout.toString().split("\n");
      assert.equal(lines.length, 20001);
      assert.equal(lines[19999], "line-19999");
    });

    test("writeFile round-trips exact bytes", async () => {
      const content = trickyContent();
      const path = join(workDir, "deep", "er", "step.sh");
      await channel.writeFile(path, content);
      const onDisk = await readFile(path);
      assert.deepEqual(onDisk, Buffer.from(content));
      const back = await channel.run(`cat '${path}'`);
      assert.deepEqual(back.stdout, Buffer.from(content));
    });

    test("writeFile keeps missing final newline", async () => {
      for (const content of [
        "",
        "no newline",
        "one\n",
        "\n\n",
        ".",
        "ends with dot.",
      ]) {
        const path = join(workDir, "edge.txt");
        await channel.writeFile(path, content);
        assert.equal(await readFile(path, "utf8"), content);
      }
    });

    test("writeFile sets mode 0600", async () => {
      const path = join(workDir, "modes", "secret.env");
      await channel.writeFile(path, "TOKEN=x\n");
      const result = await channel.run(`stat -c %a '${path}'`);
      assert.equal(result.stdout.toString(), "600\n");
      const dir = await channel.run(`stat -c %a '${join(workDir, "modes")}'`);
      assert.equal(dir.stdout.toString(), "700\n");
    });

    test("writeFile applies other mode", async () => {
      const path = join(workDir, "run.sh");
      await channel.run(`umask 022; echo old > '${path}'; chmod 644 '${path}'`);
      await channel.writeFile(path, "echo new\n", 0o755);
      const result = await channel.run(`stat -c %a '${path}'; cat '${path}'`);
      assert.equal(result.stdout.toString(), "755\necho new\n");
      await channel.writeFile(path, "echo newer\n");
      const again = await channel.run(`stat -c %a '${path}'`);
      assert.equal(again.stdout.toString(), "600\n");
      const leftovers = (await readdir(workDir)).filter((entry) =>
        entry.includes("trainsh-tmp"),
      );
      assert.deepEqual(leftovers, []);
    });

    test("writeFile expands home prefix", async () => {
      const name = `.trainsh-test-${process.pid}-${Date.now()}`;
      await channel.writeFile(`~/${name}/f.txt`, "home\n");
      const result = await channel.run(
        `cat "$HOME/${name}/f.txt"; rm -r "$HOME/${name}"`,
      );
      assert.equal(result.stdout.toString(), "home\n");
    });

    test("writeFile failure raises Error", async () => {
      const blocker = join(workDir, "blocker");
      await channel.writeFile(blocker, "x");
      await assert.rejects(
        channel.writeFile(join(blocker, "child.txt"), "y"),
        /Writing .*child.txt on @.* failed/,
      );
    });

    test("timeout rejects then reconnects", async () => {
      const started = Date.now();
      const error = await expectChannelError(
        channel.run("sleep 20", { timeoutMs: 300 }),
        "timeout",
      );
      assert.match(error.message, /timed out after 300 ms/);
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      const next = await channel.run("echo back");
      assert.equal(next.stdout.toString(), "back\n");
    });

    test("abort rejects then reconnects", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expectChannelError(
        channel.run("sleep 20", { signal: controller.signal }),
        "aborted",
      );
      const next = await channel.run("echo back");
      assert.equal(next.stdout.toString(), "back\n");
    });

    test("killed process means connection lost", async () => {
      await channel.run("true");
      const pids = childPids(target.processNeedle);
      assert.equal(
        pids.length,
        1,
        `expected one channel process, found ${pids.join(",")}`,
      );
      const pending = channel.run("sleep 20");
      setTimeout(() => process.kill(pids[0] ?? 0, "SIGKILL"), 100);
      const error = await expectChannelError(pending, "connection-lost");
      assert.match(error.message, /\nTry: /);
      const next = await channel.run("echo reconnected");
      assert.equal(next.stdout.toString(), "reconnected\n");
      assert.equal(childPids(target.processNeedle).length, 1);
    });

    test("dead shell means connection lost", async () => {
      await expectChannelError(
        channel.run("kill -KILL $$; sleep 5"),
        "connection-lost",
      );
      const next = await channel.run("echo reconnected");
      assert.equal(next.stdout.toString(), "reconnected\n");
    });

    test("trivial request costs few milliseconds", async (t) => {
      for (let i = 0; i < 20; i++) await channel.run("true");
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const started = performance.now();
        await channel.run("true");
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? Infinity;
      t.diagnostic(
        `median ${median.toFixed(3)} ms, p90 ${times[270]?.toFixed(3)} ms over 300 requests`,
      );
      assert.ok(median < 10, `median ${median.toFixed(2)} ms`);
    });

    test("closed channel rejects requests", async () => {
      const extra = await openChannel(target.host);
      const pending = extra.run("sleep 0.2; echo finished");
      await extra.close();
      assert.equal((await pending).stdout.toString(), "finished\n");
      await expectChannelError(extra.run("true"), "protocol");
    });

    test("pool reuses channel per label", async () => {
      const pool = new ConnectionPool();
      const first = await pool.channel(target.host);
      const second = await pool.channel(target.host);
      assert.equal(first, second);
      await expectChannelError(
        first.run("sleep 20", { timeoutMs: 200 }),
        "timeout",
      );
      const again = await pool.channel(target.host);
      assert.equal(again, first);
      assert.equal((await again.run("echo ok")).stdout.toString(), "ok\n");
      await pool.closeAll();
      const fresh = await pool.channel(target.host);
      assert.notEqual(fresh, first);
      assert.equal((await fresh.run("echo new")).stdout.toString(), "new\n");
      await pool.closeAll();
    });
  });
}

channelSuite(
  "local",
  async () => ({
    host: { kind: "local", label: "here" },
    processNeedle: "/bin/sh",
  }),
  async () => {},
);

let sshd: TestSshd | undefined;
let controlDir: string | undefined;
let sshHost: ResolvedHost | undefined;

channelSuite(
  "ssh",
  async () => {
    controlDir = await mkdtemp("/tmp/tsh-cm-");
    process.env.TRAINSH_CONTROL_DIR = controlDir;
    sshd = await startSshd();
    sshHost = toResolvedHost("loop", parseHostSpec(sshd.hostSpec));
    return { host: sshHost, processNeedle: "exec /bin/sh" };
  },
  async () => {
    if (sshHost?.kind === "ssh") await stopMaster(sshHost);
    await sshd?.stop();
    if (controlDir !== undefined)
      await rm(controlDir, { recursive: true, force: true });
  },
);

describe("channel open failures", () => {
  test("unreachable host rejects open", async () => {
    const dir = await mkdtemp("/tmp/tsh-cm-");
    process.env.TRAINSH_CONTROL_DIR = dir;
    try {
      const spec = "root@127.0.0.1 -p 1 -o StrictHostKeyChecking=yes";
      const host = toResolvedHost("nowhere", parseHostSpec(spec));
      const error = await expectChannelError(openChannel(host), "unreachable");
      assert.match(
        error.message,
        /^Cannot reach @nowhere \(ssh: connect to host 127\.0\.0\.1 port 1: Connection refused\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
