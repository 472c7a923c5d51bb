import assert from "node:assert/strict";
import { test } from "node:test";

import { RecipeError, RecipeErrors } from "../../src/recipe/errors.ts";

const base = {
  file: "train.recipe",
  line: 3,
  column: 7,
  message: 'invalid duration "10x"',
  source: "sleep 10x",
};

test("format with hint line", () => {
  const error = new RecipeError({ ...base, hint: "write sleep 10s" });
  assert.equal(
    error.format(),
    [
      'train.recipe:3:7: invalid duration "10x"',
      "  sleep 10x",
      "        ^",
      "  hint: write sleep 10s",
    ].join("\n"),
  );
});

test("format without hint line", () => {
  const lines = new RecipeError(base).format().split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "        ^");
});

test("caret copies leading tabs", () => {
  const error = new RecipeError({ ...base, column: 3, source: "\t\tsleep" });
  assert.equal(error.format().split("\n")[2], "  \t\t^");
});

test("RecipeErrors sorts by position", () => {
  const late = new RecipeError({ ...base, line: 9 });
  const early = new RecipeError({ ...base, line: 2, column: 4 });
  const errors = new RecipeErrors([late, early]);
  assert.deepEqual(
    errors.errors.map((error) => error.line),
    [2, 9],
  );
  assert.equal(errors.format(), `${early.format()}\n${late.format()}`);
  assert.equal(errors.message, errors.format());
});
