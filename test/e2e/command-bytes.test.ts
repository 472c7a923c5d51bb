// Commands reach the host byte for byte, and shell state carries from one
// step to the next in the same session.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runTrain } from "../support/cli.ts";
import { useTestBed } from "../support/test-bed.ts";

const bed = useTestBed("trainsh-bytes-");

async function runSteps(name: string, steps: string[]): Promise<void> {
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    ...steps,
    "tmux.close @h",
    "",
  ].join("\n");
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe(name, recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 0, run.stderr);
}

// Printable ASCII without the single quote, plus non-ASCII, so it can sit
// inside '...' on a command line.
function payload(length: number): string {
  const alphabet =
    'abc XYZ 019 $HOME ${x} $(date) `id` \\ \\n " ; & | < > * ? ~ # % ^ é ü 中文 😀 ';
  let text = "";
  while (text.length < length) text += alphabet;
  return text.slice(0, length);
}

test("long command arrives intact", async () => {
  const text = payload(9000);
  const file = join(bed.out, "long.txt");
  await runSteps("long", [`@h > printf '%s' '${text}' > ${file}`]);
  assert.equal(readFileSync(file, "utf8"), text);
});

test("quotes and backslashes arrive intact", async () => {
  const file = join(bed.out, "quotes.txt");
  await runSteps("quotes", [
    `@h > printf '%s\\n' "it's \\"quoted\\"" 'back\\slash \\t' "dollar \\$HOME" > ${file}`,
  ]);
  assert.equal(
    readFileSync(file, "utf8"),
    `it's "quoted"\nback\\slash \\t\ndollar $HOME\n`,
  );
});

test("heredoc body arrives intact", async () => {
  const file = join(bed.out, "heredoc.txt");
  const body = [
    `line with 'single' and "double"`,
    "tab\there",
    "$HOME ${PATH} $(uname) `id`",
    "\\ back \\\\ slashes",
    "héllo wörld 中文",
  ];
  await runSteps("heredoc", [
    `@h > cat > ${file} << 'EOF'\n${body.join("\n")}\nEOF`,
  ]);
  assert.equal(readFileSync(file, "utf8"), body.join("\n") + "\n");
});

test("recipe variables expand, shell ones stay", async () => {
  const file = join(bed.out, "vars.txt");
  const recipe = [
    "var NAME = wörld",
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    `@h > printf '%s|%s|%s\\n' "$NAME" "\${NAME}" "$HOME" > ${file}`,
    "tmux.close @h",
  ].join("\n");
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe("vars", recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(file, "utf8"), "wörld|wörld|/root\n");
});

test("shell state carries between steps", async () => {
  const dir = mkdtempSync(join(bed.out, "cwd-"));
  const file = join(bed.out, "state.txt");
  await runSteps("state", [
    `@h > cd ${dir} && export TRAIN_FLAVOUR=spicy && alias ll='ls -l'`,
    "@h > shopt -s expand_aliases 2>/dev/null; MY_LOCAL=kept",
    `@h > printf '%s %s %s\\n' "$PWD" "$TRAIN_FLAVOUR" "$MY_LOCAL" > ${file}`,
  ]);
  assert.equal(readFileSync(file, "utf8"), `${dir} spicy kept\n`);
});

test("continuation lines form one command", async () => {
  const file = join(bed.out, "continued.txt");
  await runSteps("continued", [
    `@h > printf '%s-%s\\n' \\\n  first \\\n  second > ${file}`,
  ]);
  assert.equal(readFileSync(file, "utf8"), "first-second\n");
});
