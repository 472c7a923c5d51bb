// Parsing of `tmux -V` output. The runner needs tmux 3.0 or newer: older
// servers lack the window-scoped remain-on-exit and pane formats it reads.

export const MIN_TMUX_VERSION = 3.0;

/**
 * Returns major + minor / 1000, so 3.10 sorts after 3.9: `tmux 3.3a` → 3.003,
 * `tmux next-3.4` → 3.004, `tmux master` → Infinity; undefined if unreadable.
 */
export function parseTmuxVersion(output: string): number | undefined {
  const text = output.trim().replace(/^tmux\s+/, "");
  if (text === "master" || text.startsWith("master")) return Infinity;
  const match = /(\d+)\.(\d+)/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) + Number(match[2]) / 1000;
}
