// The setup most end-to-end tests share: a loopback sshd, a train
// environment of its own and a scratch directory, made before the file's
// tests and removed after them.
import { after, before } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSshd, type TestSshd } from "./sshd.ts";
import { makeTrainEnv, type TrainEnv } from "./cli.ts";

export interface TestBed {
  sshd: TestSshd;
  env: TrainEnv;
  /** Scratch directory for the test's own files. */
  out: string;
}

/** Registers the hooks and returns the bed, filled in once `before` has run. */
export function useTestBed(
  prefix: string,
  extraEnv: NodeJS.ProcessEnv = {},
): TestBed {
  const bed = {} as TestBed;
  before(async () => {
    bed.sshd = await startSshd();
    bed.env = makeTrainEnv(extraEnv);
    bed.out = mkdtempSync(join(tmpdir(), prefix));
  });
  after(async () => {
    bed.env.cleanup();
    await bed.sshd.stop();
    rmSync(bed.out, { recursive: true, force: true });
  });
  return bed;
}
