// Drives the built CLI in a real terminal: a pane of a private tmux server,
// typed into with send-keys and read with capture-pane.
import { spawnSync } from "node:child_process";
import { TRAIN_BIN, type TrainEnv } from "./cli.ts";
import { quoteCommand } from "../../src/remote/quote.ts";

export interface Terminal {
  /** Sends keys as tmux names them ("Enter", "C-c", "Down") or literal text with `literal`. */
  keys(...keys: string[]): void;
  type(text: string): void;
  screen(): string;
  /** Waits until the screen matches and returns it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for the command to end and returns its exit code. */
  exitCode(timeoutMs?: number): Promise<number>;
  close(): void;
}

export function openTerminal(env: TrainEnv, args: string[]): Terminal {
  const socket = `trainsh-term-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...argv: string[]) =>
    spawnSync("tmux", ["-L", socket, "-f", "/dev/null", ...argv], {
      env: env.env,
      encoding: "utf8",
    });
  const command = `${quoteCommand([process.execPath, TRAIN_BIN, ...args])}; echo "[exit=$?]"; sleep 600`;
  const started = tmux(
    "new-session",
    "-d",
    "-s",
    "t",
    "-x",
    "120",
    "-y",
    "40",
    "-c",
    env.home,
    command,
  );
  if (started.status !== 0) throw new Error(`tmux failed: ${started.stderr}`);
  const screen = () => tmux("capture-pane", "-p", "-t", "t").stdout;
  const waitFor = async (pattern: RegExp, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline)
        throw new Error(`screen never matched ${pattern}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    keys: (...keys) => void tmux("send-keys", "-t", "t", ...keys),
    type: (text) => void tmux("send-keys", "-t", "t", "-l", text),
    screen,
    waitFor,
    exitCode: async (timeoutMs) => {
      const text = await waitFor(/\[exit=\d+\]/, timeoutMs);
      return Number(/\[exit=(\d+)\]/.exec(text)?.[1]);
    },
    close: () => void tmux("kill-server"),
  };
}
