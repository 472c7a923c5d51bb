import { test } from "node:test";
import assert from "node:assert/strict";
import { quote, quoteCommand } from "../../src/remote/quote.ts";
import { runProcess } from "../../src/remote/process.ts";

// Each case goes through a real /bin/sh, which must print the original bytes.
async function echoThroughShell(arg: string): Promise<string> {
  const result = await runProcess([
    "/bin/sh",
    "-c",
    `printf '%s' ${quote(arg)}`,
  ]);
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout;
}

test("quote empty string", () => {
  assert.equal(quote(""), "''");
});

test("quote leaves safe words", () => {
  assert.equal(quote("abc-1.2_x/y:z@h,%+"), "abc-1.2_x/y:z@h,%+");
});

test("quote wraps assignment-like words", () => {
  assert.equal(quote("A=B"), "'A=B'");
});

test("quote escapes single quote", () => {
  assert.equal(quote("it's"), "'it'\\''s'");
});

const CASES: [string, string][] = [
  ["empty", ""],
  ["single quote", "it's 'quoted'"],
  ["only quotes", "'''"],
  ["newline", "line1\nline2\n"],
  ["dollar and backtick", "$HOME ${PATH} $(id) `id`"],
  ["backslash", "a\\b\\\\c\\n"],
  ["non-ASCII", "naïve — 日本語 🚀"],
  ["globs and operators", "*; rm -rf / && | > < & ~"],
  ["leading dash", "-n"],
  ["tab and spaces", " \t lead and trail \t "],
];

for (const [name, value] of CASES) {
  test(`shell reads back ${name}`, async () => {
    assert.equal(await echoThroughShell(value), value);
  });
}

test("quoteCommand keeps word boundaries", async () => {
  const argv = ["printf", "[%s]", "a b", "", "c'd"];
  const result = await runProcess(["/bin/sh", "-c", quoteCommand(argv)]);
  assert.equal(result.stdout, "[a b][][c'd]");
});
