import assert from "node:assert/strict";
import { test } from "node:test";

import { checkRecipe, type CheckContext } from "../../src/recipe/check.ts";
import { parseRecipe } from "../../src/recipe/parse.ts";

const NO_SECRETS: CheckContext = { secret: () => undefined };

function check(text: string, ctx: CheckContext = NO_SECRETS): string[] {
  const recipe = parseRecipe(text, "t.recipe");
  return checkRecipe(recipe, ctx).map(
    (e) => `${e.line}:${e.column} ${e.message}`,
  );
}

test("defined hosts pass", () => {
  const text = `host gpu = root@h
storage out = r2:b
tmux.open @gpu
@gpu > ls
wait @gpu idle
@gpu:/x -> @out:/y
@local > echo hi
tmux.close @gpu
`;
  assert.deepEqual(check(text), []);
});

test("undefined host reported", () => {
  assert.deepEqual(check("host gpu = root@h\n@gpu2 > ls\nwait @gpu3 idle\n"), [
    '2:1 unknown host "gpu2"',
    '3:6 unknown host "gpu3"',
  ]);
});

test("undefined host hint lists hosts", () => {
  const recipe = parseRecipe(
    "host a = root@h\nhost b = local\n@c > ls\n",
    "t.recipe",
  );
  const [error] = checkRecipe(recipe, NO_SECRETS);
  assert.equal(
    error?.hint,
    'define it with "host c = user@host"; defined hosts: a, b',
  );
});

test("known hosts count as defined", () => {
  const ctx = { ...NO_SECRETS, knownHosts: new Set(["lab"]) };
  assert.deepEqual(check("@lab > ls\n./a -> @lab:/b\n", ctx), []);
});

test("implicit hosts mode accepts names", () => {
  const ctx = { ...NO_SECRETS, implicitHosts: true };
  assert.deepEqual(check("@my-alias > ls\n@other:/x -> ./y\n", ctx), []);
  assert.equal(check("@my-alias > ls\n").length, 1);
});

test("storage as execute target", () => {
  assert.deepEqual(check("storage out = r2:b\n@out > ls\n"), [
    '2:1 "out" is a storage, not a host',
  ]);
});

test("undefined secret reported once", () => {
  const text =
    "host gpu = local\n@gpu > login ${secret:HF}\n@gpu > again ${secret:HF}\n";
  assert.deepEqual(check(text), [
    '2:14 secret "HF" is not set: run "train secrets set HF" or set the environment variable HF',
  ]);
});

test("present secret passes", () => {
  const ctx = { secret: (name: string) => (name === "HF" ? "v" : undefined) };
  assert.deepEqual(check("var T = ${secret:HF}\n", ctx), []);
  assert.equal(check("var T = ${secret:HF}\n").length, 1);
});

test("secret in heredoc line located", () => {
  const text = "host gpu = local\n@gpu > cat <<EOF\ntoken=${secret:K}\nEOF\n";
  assert.deepEqual(check(text), [
    '3:7 secret "K" is not set: run "train secrets set K" or set the environment variable K',
  ]);
});

test("placeholder without pick reported", () => {
  const text = "host gpu = placeholder\ntmux.open @gpu\n@gpu > ls\n";
  assert.deepEqual(check(text), [
    '2:11 host "gpu" is a placeholder and no vast.pick @gpu comes before this step',
  ]);
});

test("placeholder after pick passes", () => {
  const text =
    "host gpu = placeholder\nvast.pick @gpu\ntmux.open @gpu\n@gpu > ls\n";
  assert.deepEqual(check(text), []);
});

test("placeholder overridden by host flag", () => {
  const ctx = { ...NO_SECRETS, overriddenHosts: new Set(["gpu"]) };
  assert.deepEqual(check("host gpu = placeholder\n@gpu > ls\n", ctx), []);
});

test("storage placeholder needs override", () => {
  const text = "storage out = placeholder\n./a -> @out:/a\n";
  assert.deepEqual(check(text), ['2:8 storage "out" is a placeholder']);
  const ctx = { ...NO_SECRETS, overriddenStorages: new Set(["out"]) };
  assert.deepEqual(check(text, ctx), []);
});

test("close of unopened session", () => {
  assert.deepEqual(check("host gpu = local\ntmux.close @gpu\n"), [
    '2:12 session "gpu" was never opened',
  ]);
});

test("close twice reported", () => {
  const text =
    "host gpu = local\ntmux.open @gpu\ntmux.close gpu\ntmux.close gpu\n";
  assert.deepEqual(check(text), [
    '4:12 session "gpu" was already closed on line 3',
  ]);
});

test("session alias usable until closed", () => {
  const text = `host gpu = local
tmux.open @gpu as logs
@logs > tail -f log &
wait @logs "done"
tmux.close @logs
@logs > ls
`;
  assert.deepEqual(check(text), ['6:1 session "logs" was closed on line 5']);
});

test("alias before open is unknown", () => {
  const text = "host gpu = local\n@logs > ls\ntmux.open @gpu as logs\n";
  assert.deepEqual(check(text), ['2:1 unknown host "logs"']);
});

test("session opened twice reported", () => {
  const text = "host gpu = local\ntmux.open @gpu\ntmux.open @gpu\n";
  assert.deepEqual(check(text), [
    '3:1 session "gpu" is already open since line 2',
  ]);
});

test("alias clashing with definition", () => {
  const text = "host gpu = local\nvar logs = x\ntmux.open @gpu as logs\n";
  assert.deepEqual(check(text), [
    '3:15 session name "logs" is already a var name',
  ]);
});

test("transfer to session alias", () => {
  const text = "host gpu = local\ntmux.open @gpu as logs\n@logs:/x -> ./y\n";
  assert.deepEqual(check(text), [
    '3:1 "logs" is a tmux session, but a transfer needs a host or storage',
  ]);
});

test("vast step without instance", () => {
  assert.deepEqual(check("vast.start\nvast.wait\n"), [
    "1:1 vast.start has no instance id",
    "2:1 vast.wait has no instance id",
  ]);
});

test("vast instance known passes", () => {
  assert.deepEqual(check("var VAST_ID = 7\nvast.wait\nvast.stop\n"), []);
  assert.deepEqual(
    check("host g = placeholder\nvast.pick @g\nvast.wait\n"),
    [],
  );
  assert.deepEqual(check("vast.start 9\nvast.cost\n"), []);
  const ctx = { ...NO_SECRETS, overriddenVars: new Set(["VAST_ID"]) };
  assert.deepEqual(check("vast.stop\n", ctx), []);
});

test("undefined variable in spec", () => {
  const text = "var USER = ubuntu\nhost gpu = $USER@$ADDR -p ${PORT}\n";
  assert.deepEqual(check(text), [
    "2:18 host gpu uses undefined variable $ADDR",
    "2:27 host gpu uses undefined variable $PORT",
  ]);
  const ctx = { ...NO_SECRETS, overriddenVars: new Set(["ADDR", "PORT"]) };
  assert.deepEqual(check(text, ctx), []);
});
