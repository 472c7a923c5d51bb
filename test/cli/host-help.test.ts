// The host, secrets and config groups print --help for every subcommand.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { makeTrainEnv, runTrain } from "../support/cli.ts";

const env = makeTrainEnv();
after(() => env.cleanup());

const groups: Record<string, string[]> = {
  host: ["list", "add", "show", "ssh", "browse", "test", "remove"],
  secrets: ["list", "set", "get", "delete"],
  config: ["show", "get", "set", "reset"],
};

for (const [group, subs] of Object.entries(groups)) {
  for (const sub of subs) {
    test(`help: train ${group} ${sub}`, async () => {
      const run = await runTrain([group, sub, "--help"], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stdout,
        new RegExp(`^Usage: train ${group} ${sub}`, "m"),
      );
    });
  }
}
