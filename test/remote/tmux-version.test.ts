import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MIN_TMUX_VERSION,
  parseTmuxVersion,
} from "../../src/remote/tmux-version.ts";

const cases: [string, number | undefined][] = [
  ["tmux 3.3a", 3.003],
  ["tmux 3.5a\n", 3.005],
  ["tmux next-3.4", 3.004],
  ["tmux 3.10", 3.01],
  ["tmux 1.8", 1.008],
  ["tmux master", Infinity],
  ["tmux: command not found", undefined],
];

for (const [output, expected] of cases) {
  test(`tmux version: ${JSON.stringify(output)}`, () => {
    assert.equal(parseTmuxVersion(output), expected);
  });
}

test("tmux 3.10 sorts after 3.9", () => {
  assert.ok(parseTmuxVersion("tmux 3.10")! > parseTmuxVersion("tmux 3.9")!);
});

test("old tmux is below minimum", () => {
  assert.ok(parseTmuxVersion("tmux 2.9a")! < MIN_TMUX_VERSION);
  assert.ok(parseTmuxVersion("tmux 3.0a")! >= MIN_TMUX_VERSION);
});
