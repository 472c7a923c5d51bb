// A write killed midway, or one whose temp file cannot be written, leaves
// the old file whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../../src/config/toml-file.ts";

const moduleUrl = resolve(import.meta.dirname, "../../src/config/toml-file.ts");

test("SIGKILL mid-write keeps old file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "trainsh-atomic-"));
  const file = join(dir, "hosts.toml");
  writeFileSync(file, "hosts = []\n# old\n");
  const script = `import { writeFileAtomic } from ${JSON.stringify(moduleUrl)};
    const big = "x".repeat(64 * 1024 * 1024);
    for (;;) writeFileAtomic(${JSON.stringify(file)}, "# new\\n" + big);`;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      stdio: "ignore",
    },
  );
  const deadline = Date.now() + 20_000;
  while (!readdirSync(dir).some((name) => name.endsWith(".tmp"))) {
    assert.ok(Date.now() < deadline, "the writer never created its temp file");
    await new Promise((r) => setTimeout(r, 1));
  }
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const text = readFileSync(file, "utf8");
  assert.ok(
    text === "hosts = []\n# old\n" ||
      (text.startsWith("# new\n") && text.length === 6 + 64 * 1024 * 1024),
    `file is torn: ${text.length} bytes`,
  );
  rmSync(dir, { recursive: true, force: true });
});

test("failed temp write keeps old file", () => {
  const dir = mkdtempSync(join(tmpdir(), "trainsh-atomic-"));
  const file = join(dir, "config.toml");
  writeFileSync(file, "[ui]\nvisual = true\n");
  // A directory where the temp file goes makes creating it fail.
  mkdirSync(join(dir, `.config.toml.${process.pid}.tmp`));
  assert.throws(() => writeFileAtomic(file, "[ui]\nvisual = false\n"));
  assert.equal(readFileSync(file, "utf8"), "[ui]\nvisual = true\n");
  rmSync(dir, { recursive: true, force: true });
});

test("secret file mode is 0600", async () => {
  const dir = mkdtempSync(join(tmpdir(), "trainsh-atomic-"));
  const file = join(dir, "secrets.toml");
  writeFileAtomic(file, 'A = "b"\n', 0o600);
  const { statSync } = await import("node:fs");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(
    existsSync(join(dir, `.secrets.toml.${process.pid}.tmp`)),
    false,
  );
  rmSync(dir, { recursive: true, force: true });
});
