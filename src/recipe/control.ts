// Control commands: tmux.open, tmux.close, notify and sleep. The vast.*
// commands live in vast.ts.

import type {
  NotifyStep,
  SleepStep,
  TmuxCloseStep,
  TmuxOpenStep,
} from "./ast.ts";
import { DurationError, parseDuration } from "./duration.ts";
import { parseTarget } from "./execute.ts";
import { LineIssue } from "./line-issue.ts";
import { DEFINITION_NAME, NAME_RULE } from "./names.ts";
import { tokenize, type Token } from "./tokens.ts";

/** The words after the command word, and where the line ends for "missing" errors. */
export interface CommandArgs {
  command: Token;
  /** The whole logical line, continuations replaced by spaces. */
  text: string;
  /** The quoted-aware words after the command; empty for notify. */
  args: Token[];
  /** The text after the command word, trimmed. */
  rest: string;
  restStart: number;
  end: number;
}

type TmuxOpenBody = Pick<TmuxOpenStep, "kind" | "target" | "session">;

export function parseTmuxOpen({ args, end }: CommandArgs): TmuxOpenBody {
  const usage = "write tmux.open @host [as NAME]";
  const [host, as, alias, extra] = args;
  if (host === undefined)
    throw new LineIssue(end, "missing host for tmux.open", usage);
  if (!host.raw.startsWith("@")) {
    throw new LineIssue(
      host.start,
      `missing "@" before "${host.raw}"`,
      `write tmux.open @${host.raw}`,
    );
  }
  const body: TmuxOpenBody = {
    kind: "tmux.open",
    target: parseTarget(host, "host"),
  };
  if (as === undefined) return body;

  if (as.raw !== "as") {
    throw new LineIssue(
      as.start,
      `unexpected "${as.raw}" after tmux.open @${body.target}`,
      usage,
    );
  }
  if (alias === undefined) {
    throw new LineIssue(end, `missing session name after "as"`, usage);
  }
  if (!DEFINITION_NAME.test(alias.raw)) {
    throw new LineIssue(
      alias.start,
      `invalid session name "${alias.raw}"`,
      NAME_RULE,
    );
  }
  rejectExtra(extra, "tmux.open");
  body.session = alias.raw;
  return body;
}

type TmuxCloseBody = Pick<TmuxCloseStep, "kind" | "target">;

export function parseTmuxClose({ args, end }: CommandArgs): TmuxCloseBody {
  const [session, extra] = args;
  if (session === undefined) {
    throw new LineIssue(
      end,
      "missing session for tmux.close",
      "write tmux.close @host",
    );
  }
  rejectExtra(extra, "tmux.close");
  const target = session.raw.startsWith("@")
    ? parseTarget(session, "session")
    : parseTarget({ ...session, value: `@${session.raw}` }, "session");
  return { kind: "tmux.close", target };
}

type NotifyBody = Pick<NotifyStep, "kind" | "message">;

// A message that is one quoted string is unquoted; bare words are kept as
// written, so an apostrophe in them needs no quoting.
export function parseNotify({
  text,
  rest,
  restStart,
  end,
}: CommandArgs): NotifyBody {
  const quoted = rest.startsWith('"') || rest.startsWith("'");
  const words = quoted ? tokenize(text, restStart) : [];
  const message = words.length === 1 ? (words[0] as Token).value : rest;
  if (message === "") {
    throw new LineIssue(
      end,
      "missing message for notify",
      'write notify "training finished"',
    );
  }
  return { kind: "notify", message };
}

type SleepBody = Pick<SleepStep, "kind" | "seconds">;

export function parseSleep({ args, end }: CommandArgs): SleepBody {
  const [duration, extra] = args;
  if (duration === undefined) {
    throw new LineIssue(end, "missing duration for sleep", "write sleep 30s");
  }
  rejectExtra(extra, "sleep");
  try {
    return { kind: "sleep", seconds: parseDuration(duration.value) };
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    throw new LineIssue(duration.start, error.message);
  }
}

export function rejectExtra(extra: Token | undefined, command: string): void {
  if (extra === undefined) return;
  throw new LineIssue(
    extra.start,
    `unexpected "${extra.raw}" after ${command}`,
  );
}
