import { startSshd } from "../test/support/sshd.ts";
import { makeTrainEnv, runTrain } from "../test/support/cli.ts";
const sshd = await startSshd();
const env = makeTrainEnv({ TRAINSH_DEBUG: "1" });
const recipe = [`host h = ${sshd.hostSpec}`, "tmux.open @h", ...Array.from({ length: 12 }, () => "@h > true"), "tmux.close @h", ""].join("\n");
const file = env.writeRecipe("dbg", recipe);
const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
console.log(run.stderr.split("\n").filter((l) => / in \d+ms/.test(l) || /\$ /.test(l)).slice(-30).map((l) => l.slice(0, 160)).join("\n"));
env.cleanup(); await sshd.stop();
