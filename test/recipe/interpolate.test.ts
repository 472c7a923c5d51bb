import assert from "node:assert/strict";
import { test } from "node:test";

import type { Recipe } from "../../src/recipe/ast.ts";
import {
  InterpolationError,
  interpolate,
  referencedSecrets,
  referencedVariables,
} from "../../src/recipe/interpolate.ts";
import { clearSecrets, redact } from "../../src/secrets/redact.ts";

function scope(
  vars: Record<string, string>,
  secrets: Record<string, string> = {},
) {
  return {
    vars: new Map(Object.entries(vars)),
    secret: (name: string) => secrets[name],
  };
}

test("defined variables expand", () => {
  const result = interpolate("cd $DIR && ls ${DIR}/x", scope({ DIR: "/data" }));
  assert.equal(result.text, "cd /data && ls /data/x");
  assert.deepEqual(result.secrets, []);
});

test("undefined variables stay literal", () => {
  const text = "echo $HOME ${USER} $MISSING";
  assert.equal(interpolate(text, scope({})).text, text);
});

test("shell forms left untouched", () => {
  const vars = scope({ x: "no", HOME: "/home/me" });
  const text = "echo $$ $1 $@ $? $(date) ${x:-y} \\$HOME $$HOME";
  assert.equal(interpolate(text, vars).text, text);
});

test("braced defined shadowing shell name", () => {
  const result = interpolate("${HOME} $HOME", scope({ HOME: "/srv" }));
  assert.equal(result.text, "/srv /srv");
});

test("name boundary stops expansion", () => {
  const result = interpolate("$A_B $A-B ${A}B", scope({ A: "1", A_B: "2" }));
  assert.equal(result.text, "2 1-B 1B");
});

test("nested variables expand recursively", () => {
  const vars = scope({
    ROOT: "/data",
    MODEL: "llama",
    DIR: "$ROOT/${MODEL}/ckpt",
  });
  assert.equal(interpolate("ls $DIR", vars).text, "ls /data/llama/ckpt");
});

test("variable cycle names the cycle", () => {
  const vars = scope({ A: "$B", B: "x${C}", C: "$A" });
  assert.throws(
    () => interpolate("echo $A", vars),
    (error: Error) => {
      assert.ok(error instanceof InterpolationError);
      assert.match(error.message, /A -> B -> C -> A/);
      return true;
    },
  );
});

test("self reference is a cycle", () => {
  assert.throws(() => interpolate("$A", scope({ A: "a$A" })), /A -> A/);
});

test("secret present is substituted", () => {
  clearSecrets();
  const result = interpolate(
    "login ${secret:HF_TOKEN}",
    scope({}, { HF_TOKEN: "hf_abcdef" }),
  );
  assert.equal(result.text, "login hf_abcdef");
  assert.deepEqual(result.secrets, ["hf_abcdef"]);
  assert.equal(redact("token hf_abcdef"), "token ***");
  clearSecrets();
});

test("missing secret names fix", () => {
  assert.throws(
    () => interpolate("${secret:WANDB_KEY}", scope({})),
    (error: Error) => {
      assert.ok(error instanceof InterpolationError);
      assert.match(error.message, /secret "WANDB_KEY" is not set/);
      assert.match(error.message, /train secrets set WANDB_KEY/);
      assert.match(error.message, /environment variable WANDB_KEY/);
      return true;
    },
  );
});

test("secret value not re-expanded", () => {
  const vars = scope({ MODEL: "llama" }, { PASS: "p$MODEL${MODEL}" });
  const result = interpolate("x=${secret:PASS} $MODEL", vars);
  assert.equal(result.text, "x=p$MODEL${MODEL} llama");
});

test("secret inside variable value", () => {
  const vars = scope({ AUTH: "Bearer ${secret:API}" }, { API: "k123" });
  const result = interpolate("curl -H '$AUTH'", vars);
  assert.equal(result.text, "curl -H 'Bearer k123'");
  assert.deepEqual(result.secrets, ["k123"]);
});

test("invalid secret reference rejected", () => {
  assert.throws(
    () => interpolate("${secret:}", scope({})),
    /invalid secret reference/,
  );
});

test("referencedVariables lists names once", () => {
  const names = referencedVariables("$A ${B} $A $$C \\$D ${secret:E} ${x:-y}");
  assert.deepEqual(names, ["A", "B"]);
});

test("referencedSecrets scans definitions and steps", () => {
  const pos = { file: "r", line: 1, column: 1 };
  const recipe: Recipe = {
    file: "r",
    definitions: [{ kind: "var", name: "T", value: "${secret:ONE}", pos }],
    steps: [
      {
        kind: "notify",
        message: "x",
        index: 0,
        pos,
        text: "notify ${secret:TWO} ${secret:ONE}",
      },
    ],
  };
  assert.deepEqual(referencedSecrets(recipe), ["ONE", "TWO"]);
});
