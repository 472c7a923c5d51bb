import { runProcess } from "../../remote/process.ts";
import { CommandError } from "../errors.ts";
import { findRecipe } from "./find.ts";

export async function editCommand(ref: string): Promise<void> {
  const found = findRecipe(ref);
  if (found.source === "bundled") {
    throw new CommandError(
      `${found.name} is a bundled example and cannot be edited in place`,
      `copy it first: cp ${found.path} ~/.config/tmux-trainsh/recipes/`,
    );
  }
  const editor = process.env.VISUAL || process.env.EDITOR || "vi";
  // The editor setting may carry flags ("code -w"), so it is split on spaces.
  const argv = [...editor.split(/\s+/).filter(Boolean), found.path];
  const result = await runProcess(argv, { stdio: "inherit" });
  if (result.exitCode !== 0) {
    throw new CommandError(
      `editor ${argv[0]} exited with code ${result.exitCode ?? result.signal}`,
    );
  }
}
