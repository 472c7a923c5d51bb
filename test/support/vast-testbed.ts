// A fake Vast.ai API whose instances are reachable over a loopback sshd,
// and a train environment pointed at both. The sshd starts with no
// authorized key, so a login works only after train attached its key to an
// instance through the fake API, as on the real service.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeVast, type FakeVastOptions } from "./fake-vast.ts";
import { startSshd, type TestSshd } from "./sshd.ts";
import { makeTrainEnv, type TrainEnv } from "./cli.ts";

export const TEST_API_KEY = "fake-vast-key-5f2c9a7e41";

export interface VastTestbed {
  fake: FakeVast;
  sshd: TestSshd;
  env: TrainEnv;
  stop(): Promise<void>;
}

export async function startVastTestbed(
  options: Partial<FakeVastOptions> = {},
  config = "",
): Promise<VastTestbed> {
  const sshd = await startSshd();
  const authorizedKeysPath = join(sshd.dir, "authorized_keys");
  writeFileSync(authorizedKeysPath, "");
  const fake = await new FakeVast({
    apiKey: TEST_API_KEY,
    ssh: { host: "127.0.0.1", port: sshd.port },
    authorizedKeysPath,
    ...options,
  }).start();
  const env = makeTrainEnv({ VAST_URL: fake.url, VAST_API_KEY: TEST_API_KEY });
  writeFileSync(
    join(env.home, "config.toml"),
    `[defaults]\nssh_key_path = "${sshd.keyPath}"\n${config}`,
  );
  return {
    fake,
    sshd,
    env,
    stop: async () => {
      env.cleanup();
      await fake.stop();
      await sshd.stop();
    },
  };
}
