// The contract's Quick Example against the fake Vast.ai API, changed only in
// its endpoints: the repository is a local git repo, the storage output is a
// local directory, and the backup host is the loopback sshd.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTrain } from "../support/cli.ts";
import { startVastTestbed, type VastTestbed } from "../support/vast-testbed.ts";

let bed: VastTestbed;
let dir: string;

before(async () => {
  bed = await startVastTestbed({ startSequence: ["loading", "running"] });
  dir = mkdtempSync(join(tmpdir(), "trainsh-quick-"));
});

after(async () => {
  await bed.stop();
  rmSync(dir, { recursive: true, force: true });
});

const TRAIN_OK = `import argparse, os
p = argparse.ArgumentParser(); p.add_argument("--model"); a = p.parse_args()
print("epoch 1 done", flush=True)
os.makedirs("model", exist_ok=True)
open("model/weights.bin", "w").write("weights of " + a.model + "\\n")
print("training finished", flush=True)
`;

const TRAIN_CRASH = `print("epoch 1 done", flush=True)
raise RuntimeError("CUDA out of memory")
`;

function makeRepo(name: string, trainPy: string): string {
  const repo = join(dir, name);
  execFileSync("git", ["init", "-q", repo]);
  writeFileSync(join(repo, "train.py"), trainPy);
  writeFileSync(join(repo, "requirements.txt"), "");
  const git = [
    "-C",
    repo,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.com",
  ];
  execFileSync("git", [...git, "add", "."]);
  execFileSync("git", [...git, "commit", "-q", "-m", "init"]);
  return repo;
}

function quickExample(name: string, repo: string): string {
  const work = join(dir, `${name}-work`);
  return `# Variables
var MODEL = llama-7b
var WORKDIR = ${work}

# Hosts
host gpu = placeholder
host backup = ${bed.sshd.hostSpec}

# Workflow
vast.pick @gpu num_gpus=1 min_gpu_ram=24
vast.wait timeout=5m
tmux.open @gpu

@gpu > mkdir -p $WORKDIR && cd $WORKDIR && git clone -q ${repo} .
@gpu > pip install -q -r requirements.txt
@gpu > python train.py --model $MODEL &

wait @gpu "epoch 1 done" timeout=2h
wait @gpu idle timeout=2h

@gpu:$WORKDIR/model -> ${dir}/${name}-output/models/$MODEL/
@gpu:$WORKDIR/model -> @backup:${dir}/${name}-backup/

vast.stop
tmux.close @gpu
`;
}

/** Seeds the account with a matching stopped RTX 4090 and a running GPU too small for the filter. */
function seedAccount(): number {
  bed.fake.instances.clear();
  bed.fake.addInstance({
    id: 7001,
    gpu_name: "RTX 4070",
    gpu_ram: 12282,
    dph_total: 0.1,
  });
  const picked = bed.fake.addInstance({
    id: 7002,
    actual_status: "stopped",
    intended_status: "stopped",
    dph_total: 0.352,
  });
  return picked.id;
}

async function jobOf(): Promise<{
  id: string;
  vastInstances: {
    instanceId: number;
    pickedWhileStopped: boolean;
    stoppedAt?: string;
  }[];
}> {
  const jobs = await runTrain(["recipe", "jobs", "--json"], bed.env);
  return JSON.parse(jobs.stdout)[0];
}

test("quick example runs and stops", async () => {
  const id = seedAccount();
  const file = bed.env.writeRecipe(
    "quick",
    quickExample("ok", makeRepo("repo-ok", TRAIN_OK)),
  );
  const run = await runTrain(["recipe", "run", file, "--no-visual"], bed.env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /@gpu = Vast\.ai instance 7002: 1x RTX 4090 25GB, \$0\.352\/h, stopped .*started it/,
  );
  assert.match(run.stderr, /attached .*id_ed25519\.pub to instance 7002/);
  assert.match(
    run.stderr,
    /instance 7002 is ready: ssh root@127\.0\.0\.1 -p \d+ \(proxy\)/,
  );
  assert.match(run.stderr, /stopped instance 7002; its disk still bills/);
  const output = join(
    dir,
    "ok-output",
    "models",
    "llama-7b",
    "model",
    "weights.bin",
  );
  assert.equal(readFileSync(output, "utf8"), "weights of llama-7b\n");
  assert.equal(
    readFileSync(join(dir, "ok-backup", "model", "weights.bin"), "utf8"),
    "weights of llama-7b\n",
  );
  assert.equal(bed.fake.instance(id).actual_status, "stopped");
  assert.equal(bed.fake.instance(7001).actual_status, "running");
  const job = await jobOf();
  assert.equal(job.vastInstances[0]?.instanceId, id);
  assert.equal(job.vastInstances[0]?.pickedWhileStopped, true);
  assert.deepEqual(bed.fake.unmatched, []);
});

test("failed training stops instance", async () => {
  const id = seedAccount();
  const file = bed.env.writeRecipe(
    "quick-crash",
    quickExample("crash", makeRepo("repo-crash", TRAIN_CRASH)),
  );
  const run = await runTrain(["recipe", "run", file, "--no-visual"], bed.env);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /background step \d+ failed with exit code 1/);
  assert.match(
    run.stderr,
    /stopped Vast\.ai instance 7002, which this run started, because the run failed; its disk still bills \$0\.00\d\/h/,
  );
  assert.equal(bed.fake.instance(id).actual_status, "stopped");
  assert.equal(bed.fake.instance(id).intended_status, "stopped");

  const job = await jobOf();
  assert.ok(job.vastInstances[0]?.stoppedAt);
  const status = await runTrain(["recipe", "status", job.id], bed.env);
  assert.match(status.stdout, /^Vast\.ai instances:$/m);
  assert.match(
    status.stdout,
    /^ {2}7002 for @gpu: started by this run at .*; stopped at /m,
  );
  assert.match(status.stdout, /train vast destroy 7002/);
});
