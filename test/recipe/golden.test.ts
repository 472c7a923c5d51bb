// Golden files: each bad/NN-name.recipe must fail with exactly the text in
// NN-name.err, and each good/NAME.recipe must parse to the AST in NAME.json.
// UPDATE_GOLDEN=1 rewrites the expected files; review every change by hand.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { RecipeErrors } from "../../src/recipe/errors.ts";
import { parseRecipe } from "../../src/recipe/parse.ts";

const GOLDEN = fileURLToPath(new URL("./golden", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function recipesIn(folder: string): string[] {
  return readdirSync(join(GOLDEN, folder))
    .filter((name) => name.endsWith(".recipe"))
    .sort();
}

function compareOrUpdate(expectedPath: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(expectedPath, actual);
    return;
  }
  assert.ok(existsSync(expectedPath), `missing ${expectedPath}`);
  assert.equal(actual, readFileSync(expectedPath, "utf8"));
}

function parseError(text: string, file: string): RecipeErrors {
  try {
    parseRecipe(text, file);
  } catch (error) {
    if (error instanceof RecipeErrors) return error;
    throw error;
  }
  assert.fail(`${file} parsed without an error`);
}

test("golden bad cases exist", () => {
  assert.ok(recipesIn("bad").length >= 45);
});

for (const name of recipesIn("bad")) {
  test(`golden bad ${name}`, () => {
    const text = readFileSync(join(GOLDEN, "bad", name), "utf8");
    const actual = parseError(text, name).format() + "\n";
    compareOrUpdate(
      join(GOLDEN, "bad", name.replace(/\.recipe$/, ".err")),
      actual,
    );
  });
}

for (const name of recipesIn("good")) {
  test(`golden good ${name}`, () => {
    const text = readFileSync(join(GOLDEN, "good", name), "utf8");
    const actual = JSON.stringify(parseRecipe(text, name), null, 2) + "\n";
    compareOrUpdate(
      join(GOLDEN, "good", name.replace(/\.recipe$/, ".json")),
      actual,
    );
  });
}
