import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import {
  commandExists,
  ProcessError,
  requireSuccess,
  runProcess,
  spawnProcess,
} from "../../src/remote/process.ts";
import { clearSecrets, registerSecret } from "../../src/secrets/redact.ts";

test("runProcess captures output and exit", async () => {
  const result = await runProcess([
    "/bin/sh",
    "-c",
    "echo out; echo err >&2; exit 3",
  ]);
  assert.equal(result.exitCode, 3);
  assert.equal(result.stdout, "out\n");
  assert.equal(result.stderr, "err\n");
  assert.equal(result.failed, true);
  assert.equal(result.timedOut, false);
  assert.equal(result.signal, null);
  assert.equal(result.host, "local");
  assert.deepEqual(result.command, [
    "/bin/sh",
    "-c",
    "echo out; echo err >&2; exit 3",
  ]);
});

test("runProcess success is not failed", async () => {
  const result = await runProcess(["true"]);
  assert.equal(result.exitCode, 0);
  assert.equal(result.failed, false);
});

test("runProcess passes input on stdin", async () => {
  const result = await runProcess(["cat"], { input: "line one\nline two" });
  assert.equal(result.stdout, "line one\nline two");
});

test("runProcess stdin is empty by default", async () => {
  const result = await runProcess(["cat"], { timeoutMs: 5000 });
  assert.equal(result.timedOut, false);
  assert.equal(result.stdout, "");
});

test("runProcess uses env and cwd", async () => {
  const result = await runProcess(
    ["/bin/sh", "-c", 'printf "%s %s" "$TSH_X" "$(pwd)"'],
    {
      env: { ...process.env, TSH_X: "value" },
      cwd: "/tmp",
    },
  );
  assert.equal(result.stdout, "value /tmp");
});

test("runProcess timeout sends SIGTERM", async () => {
  const started = Date.now();
  const result = await runProcess(["sleep", "30"], { timeoutMs: 200 });
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, "SIGTERM");
  assert.equal(result.failed, true);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test("runProcess escalates to SIGKILL after grace", async () => {
  const script = "trap '' TERM; echo ready; while :; do sleep 0.1; done";
  const started = Date.now();
  const result = await runProcess(["/bin/sh", "-c", script], {
    timeoutMs: 200,
  });
  const elapsed = Date.now() - started;
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, "SIGKILL");
  assert.ok(
    elapsed >= 5000,
    `SIGKILL came after ${elapsed} ms, before the 5 s grace`,
  );
  assert.ok(elapsed < 9000, `took ${elapsed} ms`);
});

test("runProcess abort stops the command", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const result = await runProcess(["sleep", "30"], {
    signal: controller.signal,
  });
  assert.equal(result.signal, "SIGTERM");
  assert.equal(result.timedOut, false);
  assert.equal(result.failed, true);
});

test("runProcess skips already aborted command", async () => {
  const marker = `/tmp/trainsh-aborted-${process.pid}`;
  const result = await runProcess(["touch", marker], {
    signal: AbortSignal.abort(),
  });
  assert.equal(result.failed, true);
  assert.equal(existsSync(marker), false);
});

test("runProcess reports killing signal", async () => {
  const result = await runProcess(["/bin/sh", "-c", "kill -KILL $$"]);
  assert.equal(result.exitCode, null);
  assert.equal(result.signal, "SIGKILL");
  assert.equal(result.failed, true);
});

test("runProcess missing command exits 127", async () => {
  const result = await runProcess(["trainsh-no-such-command"]);
  assert.equal(result.exitCode, 127);
  assert.equal(result.failed, true);
  assert.match(result.stderr, /trainsh-no-such-command: command not found/);
});

test("runProcess redacts registered secrets", async (t) => {
  t.after(clearSecrets);
  registerSecret("hunter2-secret");
  const result = await runProcess([
    "/bin/sh",
    "-c",
    "echo hunter2-secret; echo hunter2-secret >&2",
  ]);
  assert.equal(result.stdout, "***\n");
  assert.equal(result.stderr, "***\n");
});

test("runProcess returns despite background grandchild", async () => {
  const started = Date.now();
  const result = await runProcess([
    "/bin/sh",
    "-c",
    "echo before; sleep 5 & echo after",
  ]);
  assert.equal(result.exitCode, 0);
  assert.match(result.stdout, /before\nafter\n/);
  assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
});

test("ProcessError names host and command", async () => {
  const script = "for i in $(seq 1 30); do echo line$i >&2; done; exit 2";
  const result = await runProcess(["/bin/sh", "-c", script], { host: "gpu1" });
  const error = new ProcessError(result);
  const lines = error.message.split("\n");
  assert.match(
    lines[0] ?? "",
    /^Command failed with exit code 2 on gpu1: \/bin\/sh -c /,
  );
  assert.equal(lines.length, 21);
  assert.equal(lines[1], "line11");
  assert.equal(lines[20], "line30");
  assert.equal(error.result, result);
});

test("requireSuccess throws ProcessError", async () => {
  const ok = await runProcess(["true"]);
  assert.equal(requireSuccess(ok), ok);
  const failed = await runProcess(["false"]);
  assert.throws(() => requireSuccess(failed), ProcessError);
});

test("spawnProcess terminate stops process group", async () => {
  const proc = spawnProcess(["/bin/sh", "-c", "sleep 30 & echo $!; wait"], {
    processGroup: true,
  });
  const childPid = await new Promise<number>((resolve) => {
    proc.child.stdout?.once("data", (chunk: Buffer) =>
      resolve(Number(chunk.toString().trim())),
    );
  });
  assert.ok(proc.isRunning());
  const exit = await proc.terminate();
  assert.equal(exit.signal, "SIGTERM");
  assert.equal(proc.isRunning(), false);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(
    isRunningPid(childPid),
    false,
    `grandchild ${childPid} still runs`,
  );
});

function isRunningPid(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child of a dead shell can linger as a zombie until reaped.
  return !/\) Z /.test(readStat(pid));
}

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return ") Z ";
  }
}

test("commandExists finds PATH commands", async () => {
  assert.equal(await commandExists("sh"), true);
  assert.equal(await commandExists("trainsh-no-such-command"), false);
  assert.equal(await commandExists("/bin/sh"), true);
  assert.equal(await commandExists("/tmp"), false);
  assert.equal(await commandExists(""), false);
});
