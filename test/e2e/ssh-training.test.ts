import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSshd, freePort, type TestSshd } from "../support/sshd.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";

let sshd: TestSshd;
let env: TrainEnv;
let remoteDir: string;
let localDir: string;

before(async () => {
  sshd = await startSshd();
  env = makeTrainEnv();
  remoteDir = mkdtempSync(join(tmpdir(), "trainsh-remote-"));
  localDir = mkdtempSync(join(tmpdir(), "trainsh-local-"));
});

after(async () => {
  env.cleanup();
  await sshd.stop();
  rmSync(remoteDir, { recursive: true, force: true });
  rmSync(localDir, { recursive: true, force: true });
});

function trainingRecipe(port: number): string {
  return `# A training-shaped run on an SSH host.
var WORK = ${remoteDir}/run
var PORT = ${port}
host h = ${sshd.hostSpec}

tmux.open @h
tmux.open @h as srv
@h > mkdir -p $WORK && cd $WORK
@h > export RUN_NAME=demo && echo "setup done for $RUN_NAME"
@h > cat > train.sh << 'EOF'
for i in $(seq 1 60); do echo "step $i"; sleep 0.02; done
mkdir -p out && echo "weights for $RUN_NAME" > out/model.bin
touch done.flag
EOF
@h > sh train.sh &
wait @h "step 50" timeout=1m
wait @h idle timeout=1m
wait @h file=$WORK/done.flag timeout=30s
@srv > node -e 'require("net").createServer().listen(Number(process.argv[1]), "127.0.0.1")' $PORT &
wait @srv port=$PORT timeout=30s
@h:$WORK/out/ -> ${localDir}/model/
tmux.close @srv
tmux.close @h
`;
}

test("training recipe runs on ssh host", async () => {
  const file = env.writeRecipe("train", trainingRecipe(await freePort()));
  const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /matched: step 50/);
  assert.equal(
    readFileSync(join(localDir, "model", "model.bin"), "utf8"),
    "weights for demo\n",
  );

  const jobs = await runTrain(["recipe", "jobs", "--json"], env);
  assert.equal(jobs.code, 0, jobs.stderr);
  const [job] = JSON.parse(jobs.stdout) as {
    status: string;
    recipeName: string;
  }[];
  assert.equal(job?.status, "completed");
  assert.equal(job?.recipeName, "train");

  const table = await runTrain(["recipe", "jobs"], env);
  assert.match(table.stdout, /train\tcompleted\t14\/14/);
});
