// Locations of the config home and its files. `TRAINSH_HOME` replaces the
// default `~/.config/tmux-trainsh`; every test points it at a temp dir.
import { homedir } from "node:os";
import { join } from "node:path";

export function configHome(): string {
  const override = process.env.TRAINSH_HOME;
  if (override !== undefined && override !== "") return override;
  return join(homedir(), ".config", "tmux-trainsh");
}

export const paths = {
  config: () => join(configHome(), "config.toml"),
  hosts: () => join(configHome(), "hosts.toml"),
  storages: () => join(configHome(), "storages.toml"),
  recipes: () => join(configHome(), "recipes"),
  jobs: () => join(configHome(), "jobs"),
  /** State of local tmux sessions: step scripts, status files, session logs. */
  localState: () => join(configHome(), "local"),
};
