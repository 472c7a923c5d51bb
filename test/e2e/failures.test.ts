// Every way a step can fail is reported as failed with its code or cause, the
// recipe stops at that step, and train exits 1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSshd, type TestSshd } from "../support/sshd.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";

interface FailureCase {
  name: string;
  /** Steps before the marker step; `@h` is the SSH host. */
  steps: string[];
  /** 1-based step (counting tmux.open as step 1) that must fail. */
  failing: number;
  message: RegExp;
  exitCode?: number;
}

const cases: FailureCase[] = [
  {
    name: "false exits 1",
    steps: ["@h > false"],
    failing: 2,
    message: /exit code 1 on @h/,
    exitCode: 1,
  },
  {
    name: "sh exit 2",
    steps: ["@h > sh -c 'exit 2'"],
    failing: 2,
    message: /exit code 2 on @h/,
    exitCode: 2,
  },
  {
    name: "missing binary 127",
    steps: ["@h > no_such_binary_trainsh --flag"],
    failing: 2,
    message: /exit code 127 \(command not found\)/,
    exitCode: 127,
  },
  {
    name: "remote exit 255",
    steps: ["@h > sh -c 'exit 255'"],
    failing: 2,
    message: /exit code 255 on @h/,
    exitCode: 255,
  },
  {
    name: "child killed by SIGKILL",
    steps: ["@h > sh -c 'kill -9 $$'"],
    failing: 2,
    message: /exit code 137 \(killed by signal 9, SIGKILL\)/,
    exitCode: 137,
  },
  {
    name: "child killed by SIGTERM",
    steps: ["@h > sh -c 'kill -TERM $$'"],
    failing: 2,
    message: /exit code 143 \(killed by signal 15, SIGTERM\)/,
    exitCode: 143,
  },
  {
    name: "child killed by SIGSEGV",
    steps: ["@h > sh -c 'kill -SEGV $$'"],
    failing: 2,
    message: /killed by signal 11, SIGSEGV/,
    exitCode: 139,
  },
  {
    name: "child killed by SIGINT",
    steps: ["@h > sh -c 'kill -INT $$'"],
    failing: 2,
    message: /exit code 130/,
    exitCode: 130,
  },
  {
    name: "exit kills pane shell",
    steps: ["@h > exit 3"],
    failing: 2,
    message: /shell of session @h on h exited with code 3/,
  },
  {
    name: "exec false replaces shell",
    steps: ["@h > exec false"],
    failing: 2,
    message: /shell of session @h on h exited with code 1/,
  },
  {
    name: "pane shell SIGKILLed",
    steps: ["@h > kill -9 $$"],
    failing: 2,
    message: /shell of session @h on h was killed by signal 9 \(SIGKILL\)/,
  },
  {
    name: "pipefail catches first stage",
    steps: ["@h > set -o pipefail; false | true"],
    failing: 2,
    message: /exit code 1 on @h/,
    exitCode: 1,
  },
  {
    name: "pipefail keeps stage code",
    steps: ["@h > set -o pipefail; (exit 7) | cat"],
    failing: 2,
    message: /exit code 7 on @h/,
    exitCode: 7,
  },
  {
    name: "pipefail carries to next step",
    steps: ["@h > set -o pipefail", "@h > false | cat"],
    failing: 3,
    message: /exit code 1 on @h/,
    exitCode: 1,
  },
  {
    name: "background failure at idle",
    steps: ["@h > false &", "wait @h idle timeout=30s"],
    failing: 3,
    message: /background step 2 failed with exit code 1/,
    exitCode: 1,
  },
  {
    name: "background exit 9 at idle",
    steps: ["@h > sleep 0.5; sh -c 'exit 9' &", "wait @h idle timeout=30s"],
    failing: 3,
    message: /background step 2 failed with exit code 9/,
    exitCode: 9,
  },
  {
    name: "step past its timeout",
    steps: ["@h timeout=2s > sleep 30"],
    failing: 2,
    message: /timed out after 2s on @h \(interrupted, exit code 130/,
  },
  {
    name: "subshell exit 42",
    steps: ["@h > (exit 42)"],
    failing: 2,
    message: /exit code 42 on @h/,
    exitCode: 42,
  },
  {
    name: "return from step script",
    steps: ["@h > return 5"],
    failing: 2,
    message: /exit code 5 on @h/,
    exitCode: 5,
  },
  {
    name: "missing file cat",
    steps: ["@h > cat /nonexistent/trainsh-file"],
    failing: 2,
    message: /exit code 1 on @h/,
    exitCode: 1,
  },
  {
    name: "not executable 126",
    steps: ["@h > $NOEXEC"],
    failing: 2,
    message: /exit code 126 \(command not executable\)/,
    exitCode: 126,
  },
  {
    name: "and chain stops",
    steps: ["@h > true && false && echo never"],
    failing: 2,
    message: /exit code 1 on @h/,
    exitCode: 1,
  },
  {
    name: "test builtin fails",
    steps: ["@h > [ 1 -eq 2 ]"],
    failing: 2,
    message: /exit code 1 on @h/,
    exitCode: 1,
  },
  {
    name: "heredoc script exits 4",
    steps: ["@h > sh << 'EOF'\necho inside\nexit 4\nEOF"],
    failing: 2,
    message: /exit code 4 on @h/,
    exitCode: 4,
  },
  {
    name: "python exits 3",
    steps: ["@h > python3 -c 'import sys; sys.exit(3)'"],
    failing: 2,
    message: /exit code 3 on @h/,
    exitCode: 3,
  },
  {
    name: "wait times out",
    steps: ['wait @h "never-printed-line" timeout=2s'],
    failing: 2,
    message: /timed out after 2s waiting for \/never-printed-line\//,
  },
  {
    name: "wait file times out",
    steps: ["wait @h file=/nonexistent/trainsh-flag timeout=2s"],
    failing: 2,
    message: /timed out after 2s waiting for file/,
  },
];

let sshd: TestSshd;
let env: TrainEnv;
let scratch: string;

before(async () => {
  sshd = await startSshd();
  env = makeTrainEnv();
  scratch = mkdtempSync(join(tmpdir(), "trainsh-fail-"));
  writeFileSync(join(scratch, "noexec.sh"), "echo hi\n", { mode: 0o644 });
});

after(async () => {
  env.cleanup();
  await sshd.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function jobState(stderr: string): {
  steps: { status: string; exitCode?: number }[];
} {
  const id = /\(job ([0-9a-f]+)\)/.exec(stderr)?.[1];
  assert.ok(id, "the run printed no job id");
  const jobs = join(env.home, "jobs");
  const dir = readdirSync(jobs).find((name) => name.endsWith(`-${id}`));
  assert.ok(dir, `no job folder for ${id}`);
  return JSON.parse(readFileSync(join(jobs, dir, "state.json"), "utf8"));
}

for (const [index, c] of cases.entries()) {
  test(`failure: ${c.name}`, async () => {
    const marker = join(scratch, `marker-${index}`);
    const recipe = [
      `var NOEXEC = ${join(scratch, "noexec.sh")}`,
      `host h = ${sshd.hostSpec}`,
      "tmux.open @h",
      ...c.steps,
      `@h > touch ${marker}`,
      "tmux.close @h",
      "",
    ].join("\n");
    const file = env.writeRecipe(`fail-${index}`, recipe);
    const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`step ${c.failing} failed: .*${c.message.source}`),
    );
    assert.equal(existsSync(marker), false, "the step after the failure ran");
    const step = jobState(run.stderr).steps[c.failing - 1]!;
    assert.equal(step.status, "failed");
    if (c.exitCode !== undefined) assert.equal(step.exitCode, c.exitCode);
  });
}
