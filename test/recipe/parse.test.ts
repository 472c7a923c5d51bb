import assert from "node:assert/strict";
import { test } from "node:test";

import type { Step } from "../../src/recipe/ast.ts";
import { RecipeErrors } from "../../src/recipe/errors.ts";
import { parseRecipe } from "../../src/recipe/parse.ts";

const HOST = "host gpu = root@10.0.0.5\n";

function steps(text: string): Step[] {
  return parseRecipe(text, "t.recipe").steps;
}

function only(text: string): Step {
  const parsed = steps(text);
  assert.equal(parsed.length, 1);
  return parsed[0] as Step;
}

// Drops the fields every step has, so tests compare what the rule produced.
function body(step: Step): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...step };
  for (const key of ["index", "pos", "text"]) delete rest[key];
  return rest;
}

function problems(text: string): string[] {
  try {
    parseRecipe(text, "t.recipe");
  } catch (error) {
    assert.ok(error instanceof RecipeErrors);
    return error.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
  }
  return assert.fail("expected a parse error");
}

test("comments and blank lines skipped", () => {
  const parsed = parseRecipe("# top\n\n   # indented\n\t\n", "t.recipe");
  assert.deepEqual(parsed.definitions, []);
  assert.deepEqual(parsed.steps, []);
});

test("hash inside command kept", () => {
  const step = only(`${HOST}@gpu > echo a # not a comment`);
  assert.equal(
    step.kind === "execute" && step.command,
    "echo a # not a comment",
  );
});

test("definitions keep raw values", () => {
  const text =
    'var MSG = "hello  world"\nhost gpu=root@h -p 2222\nstorage out = s3:bucket/prefix\n';
  const { definitions } = parseRecipe(text, "t.recipe");
  assert.deepEqual(
    definitions.map(({ kind, name, value }) => ({ kind, name, value })),
    [
      { kind: "var", name: "MSG", value: '"hello  world"' },
      { kind: "host", name: "gpu", value: "root@h -p 2222" },
      { kind: "storage", name: "out", value: "s3:bucket/prefix" },
    ],
  );
  assert.deepEqual(definitions[1]?.pos, {
    file: "t.recipe",
    line: 2,
    column: 1,
  });
});

test("host spec forms accepted", () => {
  const specs = [
    "placeholder",
    "local",
    "vast:123",
    "vast:$ID",
    "myserver",
    "my-alias.lan",
    "root@1.2.3.4",
    "root@1.2.3.4 -p 2222 -i ~/.ssh/key -J jump -o ServerAliveInterval=30",
    "-p 22 ubuntu@host",
    "root@host -p$PORT",
    "$USER@$ADDR -p ${PORT}",
    "root@[::1]",
    "root@host -i '/keys/my key'",
  ];
  for (const spec of specs) {
    const { definitions } = parseRecipe(`host h = ${spec}\n`, "t.recipe");
    assert.equal(definitions[0]?.value, spec, spec);
  }
});

test("storage spec forms accepted", () => {
  const specs = [
    "placeholder",
    "r2:b",
    "b2:b",
    "s3:b/p",
    "gdrive:a/b",
    "local:/mnt",
    "archive",
    "$STORE",
  ];
  for (const spec of specs) {
    const { definitions } = parseRecipe(`storage s = ${spec}\n`, "t.recipe");
    assert.equal(definitions[0]?.value, spec, spec);
  }
});

test("duplicate name across kinds rejected", () => {
  assert.deepEqual(problems("var x = 1\nstorage x = r2:b\n"), [
    '2:9 "x" is already defined on line 1',
  ]);
});

test("definition after step rejected", () => {
  assert.deepEqual(problems(`${HOST}sleep 1\nvar A = 1\n`), [
    "3:1 var A is defined after the first step on line 2",
  ]);
});

test("execute step basic fields", () => {
  const step = only(`${HOST}@gpu > nvidia-smi`);
  assert.deepEqual(body(step), {
    kind: "execute",
    target: "gpu",
    command: "nvidia-smi",
    background: false,
  });
  assert.deepEqual(step.pos, { file: "t.recipe", line: 2, column: 1 });
  assert.equal(step.text, "@gpu > nvidia-smi");
  assert.equal(step.index, 0);
});

test("execute timeout option parsed", () => {
  const step = only(`${HOST}@gpu timeout=1h30m > python train.py`);
  assert.equal(step.kind === "execute" && step.timeoutSec, 5400);
});

test("execute background marker removed", () => {
  const step = only(`${HOST}@gpu > python train.py --lr 3e-4  &  `);
  assert.deepEqual(body(step), {
    kind: "execute",
    target: "gpu",
    command: "python train.py --lr 3e-4",
    background: true,
  });
});

test("execute ampersand forms not background", () => {
  for (const command of ["make &&", "echo a&", "cmd 2>&1"]) {
    const step = only(`${HOST}@gpu > ${command}`);
    assert.equal(step.kind === "execute" && step.background, false, command);
    assert.equal(step.kind === "execute" && step.command, command);
  }
});

test("execute command keeps shell text", () => {
  const command = `python a.py > out.log 2>&1 && echo "x -> y" | tee 'q > r'`;
  const step = only(`${HOST}@gpu > ${command}`);
  assert.equal(step.kind, "execute");
  assert.equal(step.kind === "execute" && step.command, command);
});

test("execute target names accepted", () => {
  const step = only("@my-server.lan > ls");
  assert.equal(step.kind === "execute" && step.target, "my-server.lan");
});

test("execute unknown option rejected", () => {
  assert.deepEqual(problems(`${HOST}@gpu retry=2 > ls`), [
    '2:6 unknown option "retry" for an execute step',
  ]);
});

test("continuation keeps backslash newline", () => {
  const step = only(
    `${HOST}@gpu > python train.py \\\n  --epochs 3 \\\n  --lr 1e-3`,
  );
  assert.equal(
    step.kind === "execute" && step.command,
    "python train.py \\\n  --epochs 3 \\\n  --lr 1e-3",
  );
  assert.equal(
    step.text,
    step.kind === "execute" ? `@gpu > ${step.command}` : "",
  );
});

test("continuation joins control lines", () => {
  const step = only(`${HOST}wait @gpu idle \\\n    timeout=5m`);
  assert.deepEqual(body(step), {
    kind: "wait",
    target: "gpu",
    condition: { kind: "idle" },
    timeoutSec: 300,
  });
  assert.equal(step.pos.line, 2);
});

test("continued definition joins words", () => {
  const { definitions } = parseRecipe(
    "var FLAGS = --a \\\n   --b\n",
    "t.recipe",
  );
  assert.equal(definitions[0]?.value, "--a --b");
});

test("escaped backslash does not continue", () => {
  const parsed = steps(`${HOST}@gpu > echo \\\\\nsleep 1`);
  assert.equal(parsed.length, 2);
});

test("trailing backslash at end rejected", () => {
  assert.deepEqual(problems(`${HOST}@gpu > ls \\`), [
    '2:11 the last line ends with "\\", which continues it past the end of the file',
  ]);
});

test("heredoc body joins command", () => {
  for (const opener of ["<< 'EOF'", "<<EOF", '<< "EOF"', "<<\\EOF"]) {
    const text = `${HOST}@gpu > cat ${opener} > f\nline \\\n# not a comment\nEOF\nsleep 1`;
    const parsed = steps(text);
    assert.equal(parsed.length, 2, opener);
    const step = parsed[0] as Step;
    const expected = `cat ${opener} > f\nline \\\n# not a comment\nEOF`;
    assert.equal(step.kind === "execute" && step.command, expected, opener);
    assert.equal(step.text, `@gpu > ${expected}`);
  }
});

test("heredoc dash allows tab terminator", () => {
  const step = only(`${HOST}@gpu > cat <<-EOF\n\tbody\n\t\tEOF`);
  assert.equal(
    step.kind === "execute" && step.command,
    "cat <<-EOF\n\tbody\n\t\tEOF",
  );
});

test("heredoc with background marker", () => {
  const step = only(`${HOST}@gpu > python - <<'PY' &\nprint(1)\nPY`);
  assert.deepEqual(body(step), {
    kind: "execute",
    target: "gpu",
    command: "python - <<'PY'\nprint(1)\nPY",
    background: true,
  });
});

test("heredoc operators outside shell code ignored", () => {
  const commands = [
    "echo '<<EOF'",
    'echo "<<EOF"',
    "echo $((1 << 2))",
    "cat <<< word",
    "echo x # <<EOF",
  ];
  for (const command of commands) {
    assert.equal(steps(`${HOST}@gpu > ${command}\nsleep 1`).length, 2, command);
  }
});

test("two heredocs read in order", () => {
  const step = only(`${HOST}@gpu > cat <<A; cat <<B\na\nA\nb\nB`);
  assert.equal(
    step.kind === "execute" && step.command,
    "cat <<A; cat <<B\na\nA\nb\nB",
  );
});

test("missing heredoc terminator rejected", () => {
  assert.deepEqual(problems(`${HOST}@gpu > cat <<END\nbody\nEND \n`), [
    '2:12 missing heredoc terminator "END"',
  ]);
});

test("wait condition kinds parsed", () => {
  const text = `${HOST}wait @gpu "epoch \\d+" timeout=1h
wait @gpu file=/out/done
wait @gpu port=8888 timeout=30s
wait @gpu port=$PORT
wait @gpu idle`;
  assert.deepEqual(steps(text).map(body), [
    {
      kind: "wait",
      target: "gpu",
      condition: { kind: "pattern", pattern: "epoch \\d+" },
      timeoutSec: 3600,
    },
    {
      kind: "wait",
      target: "gpu",
      condition: { kind: "file", path: "/out/done" },
    },
    {
      kind: "wait",
      target: "gpu",
      condition: { kind: "port", port: "8888" },
      timeoutSec: 30,
    },
    { kind: "wait", target: "gpu", condition: { kind: "port", port: "$PORT" } },
    { kind: "wait", target: "gpu", condition: { kind: "idle" } },
  ]);
});

test("wait pattern quote escapes", () => {
  const text = `${HOST}wait @gpu "say \\"hi\\" \\\\d"\nwait @gpu 'a "b" \\n'`;
  const patterns = steps(text).map((step) =>
    step.kind === "wait" && step.condition.kind === "pattern"
      ? step.condition.pattern
      : "",
  );
  assert.deepEqual(patterns, ['say "hi" \\\\d', 'a "b" \\n']);
});

test("wait pattern variable skips validation", () => {
  const step = only(`${HOST}wait @gpu "($STEP"`);
  assert.equal(step.kind === "wait" && step.condition.kind, "pattern");
  assert.deepEqual(problems(`${HOST}wait @gpu "(step"`), [
    '2:11 invalid regular expression "(step": Unterminated group',
  ]);
});

test("wait rejects two conditions", () => {
  assert.deepEqual(problems(`${HOST}wait @gpu "x" port=22`), [
    "2:15 wait takes one condition, but this line has a pattern and port=",
  ]);
});

test("transfer endpoint forms", () => {
  const text = `${HOST}storage out = r2:b
./local -> @gpu:/remote
@gpu:/a/ -> @out:/b/
@gpu -> ~/home copy
@out:x ->   ../rel`;
  assert.deepEqual(steps(text).map(body), [
    { kind: "transfer", source: "./local", destination: "@gpu:/remote" },
    { kind: "transfer", source: "@gpu:/a/", destination: "@out:/b/" },
    { kind: "transfer", source: "@gpu", destination: "~/home copy" },
    { kind: "transfer", source: "@out:x", destination: "../rel" },
  ]);
});

test("execute wins over transfer", () => {
  const step = only(`${HOST}@gpu > cp a -> b`);
  assert.equal(step.kind, "execute");
});

test("commands win over transfer", () => {
  const parsed = steps(`${HOST}wait @gpu "a -> b"\nnotify build -> deploy`);
  assert.deepEqual(
    parsed.map((step) => step.kind),
    ["wait", "notify"],
  );
});

test("backward transfer rejected with hint", () => {
  try {
    parseRecipe("./a <- @gpu:/b\n", "t.recipe");
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof RecipeErrors);
    assert.equal(error.errors[0]?.hint, "write SRC -> DST: @gpu:/b -> ./a");
  }
});

test("tmux open with alias", () => {
  const text = `${HOST}tmux.open @gpu\ntmux.open @gpu as logs`;
  assert.deepEqual(steps(text).map(body), [
    { kind: "tmux.open", target: "gpu" },
    { kind: "tmux.open", target: "gpu", session: "logs" },
  ]);
});

test("tmux close with or without at", () => {
  const text = `${HOST}tmux.close @gpu\ntmux.close logs`;
  assert.deepEqual(steps(text).map(body), [
    { kind: "tmux.close", target: "gpu" },
    { kind: "tmux.close", target: "logs" },
  ]);
});

test("notify quoted and bare", () => {
  const text = `notify "done: $MODEL"\nnotify it's  done\nnotify 'a' b`;
  assert.deepEqual(
    steps(text).map((step) => step.kind === "notify" && step.message),
    ["done: $MODEL", "it's  done", "'a' b"],
  );
});

test("sleep duration forms", () => {
  const seconds = steps("sleep 90\nsleep 1h30m\nsleep 1.5m\nsleep 2D").map(
    (step) => step.kind === "sleep" && step.seconds,
  );
  assert.deepEqual(seconds, [90, 5400, 90, 172800]);
});

test("vast pick options kept", () => {
  const step = only('vast.pick @gpu num_gpus=2 gpu="RTX 4090" max_dph=$MAX');
  assert.deepEqual(body(step), {
    kind: "vast.pick",
    target: "gpu",
    options: { num_gpus: "2", gpu: "RTX 4090", max_dph: "$MAX" },
  });
});

test("vast pick numeric validation", () => {
  assert.deepEqual(
    problems("vast.pick @g min_gpu_ram=lots\nvast.pick @g limit=1.5\n"),
    [
      '1:26 invalid min_gpu_ram "lots": use a number such as 24 or 0.5',
      '2:20 invalid limit "1.5": use a whole number of 1 or more, such as 2',
    ],
  );
});

test("vast instance steps parsed", () => {
  const text = "vast.start\nvast.stop 42\nvast.cost ${ID}";
  assert.deepEqual(steps(text).map(body), [
    { kind: "vast.start" },
    { kind: "vast.stop", instanceId: "42" },
    { kind: "vast.cost", instanceId: "${ID}" },
  ]);
});

test("vast wait options parsed", () => {
  const step = only(
    "vast.wait $VAST_ID timeout=20m poll=15s stop_on_fail=true",
  );
  assert.deepEqual(body(step), {
    kind: "vast.wait",
    instanceId: "$VAST_ID",
    timeoutSec: 1200,
    pollSec: 15,
    stopOnFail: true,
  });
});

test("unknown command suggests closest", () => {
  for (const [word, guess] of [
    ["tmux.opne", "tmux.open"],
    ["tmux.clsoe", "tmux.close"],
    ["vast.pik", "vast.pick"],
    ["notfy", "notify"],
    ["sleeep", "sleep"],
    ["wiat", "wait"],
  ]) {
    try {
      parseRecipe(`${word} x\n`, "t.recipe");
      assert.fail(`expected an error for ${word}`);
    } catch (error) {
      assert.ok(error instanceof RecipeErrors);
      assert.equal(error.errors[0]?.message, `unknown command "${word}"`);
      assert.equal(error.errors[0]?.hint, `did you mean ${guess}?`);
    }
  }
});

test("unknown line never ignored", () => {
  assert.deepEqual(problems("python train.py\nHello there\n"), [
    "1:1 unrecognized line: expected a comment, a definition or a step",
    "2:1 unrecognized line: expected a comment, a definition or a step",
  ]);
});

test("errors collected from every line", () => {
  const text = `${HOST}sleep x\n@gpu >\nwait @gpu\nvast.stop z\n`;
  assert.equal(problems(text).length, 4);
});

test("step indexes and positions", () => {
  const parsed = steps(`${HOST}\n  sleep 1\n\n\t@gpu > ls`);
  assert.deepEqual(
    parsed.map((step) => [
      step.index,
      step.pos.line,
      step.pos.column,
      step.text,
    ]),
    [
      [0, 3, 3, "sleep 1"],
      [1, 5, 2, "@gpu > ls"],
    ],
  );
});

test("crlf line endings accepted", () => {
  const step = only("host gpu = local\r\n@gpu > ls -la\r\n");
  assert.equal(step.kind === "execute" && step.command, "ls -la");
});
