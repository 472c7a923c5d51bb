import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../config/paths.ts";
import { CommandError, UsageError } from "../errors.ts";

const TEMPLATE = `# A recipe: definitions first, then steps.
# Check it with: train recipe check NAME    Run it with: train recipe run NAME

var WORKDIR = ~/train-demo
host gpu = local

tmux.open @gpu
@gpu > mkdir -p $WORKDIR && cd $WORKDIR
@gpu > echo "training on $(hostname)"
@gpu > for i in 1 2 3; do echo "epoch $i"; sleep 1; done &
wait @gpu "epoch 3" timeout=1m
wait @gpu idle timeout=1m
notify "demo finished"
tmux.close @gpu
`;

export async function newCommand(name: string): Promise<void> {
  const base = name.replace(/\.recipe$/, "");
  if (!/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(base)) {
    throw new UsageError(
      `invalid recipe name "${name}": use letters, digits, - and _, not starting with -`,
    );
  }
  const file = join(paths.recipes(), `${base}.recipe`);
  if (existsSync(file)) {
    throw new CommandError(
      `recipe already exists: ${file}`,
      `edit it with \`train recipe edit ${base}\``,
    );
  }
  mkdirSync(paths.recipes(), { recursive: true });
  writeFileSync(file, TEMPLATE.replaceAll("NAME", base), { flag: "wx" });
  process.stdout.write(`${file}\n`);
  process.stderr.write(
    `created ${base}; edit it with \`train recipe edit ${base}\`\n`,
  );
}
