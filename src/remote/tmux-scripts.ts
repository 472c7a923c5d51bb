// Shell scripts that drive the dedicated tmux server on a host. Each function
// returns POSIX sh code for one channel request; `src/runtime/host-driver.ts` sends them
// and parses the replies. All paths are absolute, resolved once per host.
import { quote } from "./quote.ts";

export interface HostLayout {
  /** Absolute directory for trainsh state on the host (`~/.trainsh`). */
  stateDir: string;
  /** tmux socket name passed to `-L`. */
  socket: string;
}

export function jobDir(layout: HostLayout, jobId: string): string {
  return `${layout.stateDir}/jobs/${jobId}`;
}

export function tmuxPrefix(layout: HostLayout): string {
  return `tmux -L ${quote(layout.socket)} -f ${quote(`${layout.stateDir}/tmux.conf`)}`;
}

/** `=name` matches the session name exactly, not as a prefix. */
function sessionTarget(session: string): string {
  return quote(`=${session}`);
}

/** Pane and window targets need the trailing colon: `=name:`. */
function paneTarget(session: string): string {
  return quote(`=${session}:`);
}

/**
 * Channel that one step's typed line signals. One channel per step, so a
 * signal sent while no client waited (tmux latches it) never wakes the wait for
 * another step.
 */
export function waitChannel(session: string, step: number): string {
  return `${session}-s${step}`;
}

const TMUX_CONF = [
  "set -g history-limit 100000",
  "set -wg remain-on-exit on",
  "set -sg escape-time 0",
  "set -g default-size 220x50",
].join("\n");

/**
 * Probes a host: creates the state dir (given as shell code, so `$HOME` can
 * expand on the host) and the tmux config, and prints `home=`, `state=`,
 * `tmux=` (version or `missing`), `shell=` and `bash=` lines.
 */
export function probeScript(stateDirExpr: string): string {
  return [
    `d=${stateDirExpr}`,
    'mkdir -p "$d/jobs" && chmod 700 "$d" || exit 1',
    `printf '%s\\n' ${quote(TMUX_CONF)} > "$d/tmux.conf"`,
    `printf 'home=%s\\n' "$HOME"`,
    `printf 'state=%s\\n' "$d"`,
    `if command -v tmux >/dev/null 2>&1; then printf 'tmux=%s\\n' "$(tmux -V)"; else echo tmux=missing; fi`,
    `printf 'shell=%s\\n' "\${SHELL:-/bin/sh}"`,
    `command -v bash >/dev/null 2>&1 && echo bash=yes || echo bash=no`,
  ].join("\n");
}

export interface OpenSessionOptions {
  session: string;
  jobId: string;
  width: number;
  height: number;
  /** The interactive shell the pane runs, e.g. `/bin/bash -l`. */
  shellCommand: string;
  /** Name of that shell (`bash`, `zsh`, ...), for the prompt hook. */
  shell: string;
}

/** File where the pane's wrapper records how its shell ended. */
export function exitFile(
  layout: HostLayout,
  jobId: string,
  session: string,
): string {
  return `${jobDir(layout, jobId)}/${session}.exit`;
}

/**
 * The pane runs the interactive shell under a small `sh` wrapper that records
 * the shell's exit status when it ends (an `exit` or `exec` in a step, or a
 * kill). tmux's own pane_dead_status is not enough: tmux 3.3a sometimes marks
 * a pane dead without ever filling it in.
 */
function paneCommand(shellCommand: string, exitPath: string): string {
  return `${shellCommand}; rc=$?; echo $rc > ${quote(exitPath)}; exit $rc`;
}

/** Opens (or reuses) a session and pipes its output to the session log. Prints `created` or `exists`. */
export function openSessionScript(
  layout: HostLayout,
  opts: OpenSessionOptions,
): string {
  const t = tmuxPrefix(layout);
  const dir = jobDir(layout, opts.jobId);
  const log = `${dir}/${opts.session}.log`;
  const target = paneTarget(opts.session);
  const command = paneCommand(
    opts.shellCommand,
    exitFile(layout, opts.jobId, opts.session),
  );
  const shell = ` ${quote(`exec sh -c ${quote(command)}`)}`;
  return [
    // The session log contains whatever the pane prints, secrets included.
    "umask 077",
    `mkdir -p ${quote(dir)} && chmod 700 ${quote(dir)}`,
    `if ${t} has-session -t ${sessionTarget(opts.session)} 2>/dev/null; then echo exists; exit 0; fi`,
    `: >> ${quote(log)}`,
    `${t} new-session -d -s ${quote(opts.session)} -x ${opts.width} -y ${opts.height} -c "$HOME"${shell} || exit 1`,
    `${t} set-option -w -t ${target} remain-on-exit on`,
    `${t} pipe-pane -t ${target} -o ${quote(`cat >> ${quote(log)}`)}`,
    ...hookKeys(t, target, opts),
    "echo created",
  ].join("\n");
}

function hookKeys(
  t: string,
  target: string,
  opts: OpenSessionOptions,
): string[] {
  const line = promptHookLine(opts.shell);
  if (line === undefined) return [];
  return [
    `${t} send-keys -t ${target} -l ${quote(line)} \\; send-keys -t ${target} Enter`,
  ];
}

/**
 * Kills the session, and removes its raw log and the step scripts that a dead
 * pane never got to remove itself: both may hold resolved secrets, and the
 * runner has saved the redacted pane text by then.
 */
export function closeSessionScript(
  layout: HostLayout,
  jobId: string,
  session: string,
): string {
  const t = tmuxPrefix(layout);
  const dir = jobDir(layout, jobId);
  return [
    `${t} kill-session -t ${sessionTarget(session)} 2>/dev/null`,
    `rm -f ${quote(dir)}/s*.sh ${quote(`${dir}/${session}.log`)}`,
    "echo closed",
  ].join("\n");
}

export interface StepFiles {
  script: string;
  status: string;
  started: string;
}

export function stepFiles(
  layout: HostLayout,
  jobId: string,
  step: number,
): StepFiles {
  const base = `${jobDir(layout, jobId)}/s${step}`;
  return {
    script: `${base}.sh`,
    status: `${base}.rc`,
    started: `${base}.start`,
  };
}

/** Returns the step script: it marks its start, then runs the command in the pane's own shell. */
export function stepScriptBody(files: StepFiles, command: string): string {
  return `command printf 1 > ${quote(files.started)}\n${command}\n`;
}

/**
 * Returns the one short line typed into the pane. It names the status file, sources
 * the step script with stdin from /dev/null (so later keystrokes never feed
 * the command), records `$?`, and signals the session's channel. The leading
 * space keeps it out of shell history where `HISTCONTROL=ignorespace` is set.
 * Inside the pane, `tmux` finds its server through `$TMUX`, so it needs no `-L`.
 * The pane removes the script only after signalling, off the waiter's path.
 */
export function typedLine(
  session: string,
  step: number,
  files: StepFiles,
): string {
  const channel = quote(waitChannel(session, step));
  return (
    ` __trainsh_rc=${quote(files.status)}; __trainsh_ch=${channel}; . ${quote(files.script)} </dev/null;` +
    ` __trainsh_st=$?; command printf '%s\\n' "$__trainsh_st" > "$__trainsh_rc"; __trainsh_rc=;` +
    ` command tmux wait-for -S ${channel}; command rm -f ${quote(files.script)}`
  );
}

/**
 * A line typed once into a new bash or zsh pane: a prompt hook that records
 * the status of a step whose line was cut short. When a command in the step
 * dies of SIGINT (Ctrl-C, or the runner's interrupt on timeout), an
 * interactive shell drops the rest of the typed line, so only the prompt that
 * follows can still write the status file. Returns undefined for other shells.
 */
export function promptHookLine(shell: string): string | undefined {
  const body =
    '__trainsh_hook() { local rc=$?; if [ -n "$__trainsh_rc" ]; then' +
    ' [ -s "$__trainsh_rc" ] || command printf "%s\\n" "$rc" > "$__trainsh_rc"; __trainsh_rc=;' +
    ' command tmux wait-for -S "$__trainsh_ch";' +
    " fi; return $rc; };";
  if (shell === "bash") {
    return ` ${body} PROMPT_COMMAND="__trainsh_hook\${PROMPT_COMMAND:+;$PROMPT_COMMAND}"`;
  }
  if (shell === "zsh")
    return ` ${body} precmd_functions=(__trainsh_hook $precmd_functions)`;
  return undefined;
}

/**
 * Prints the pane state: `alive`, `dead=<exit code or empty>`, `gone-server`
 * (no tmux server runs on the host) or `gone-session` (the server runs, the
 * session does not).
 */
export function paneStateSnippet(
  layout: HostLayout,
  jobId: string,
  session: string,
): string {
  const t = tmuxPrefix(layout);
  const exit = quote(exitFile(layout, jobId, session));
  return [
    `case $(${t} display-message -p -t ${paneTarget(session)} '#{pane_dead}' 2>&1 || echo gone) in`,
    `  1) echo "dead=$(cat ${exit} 2>/dev/null)";;`,
    '  *"no server running"*|*"error connecting"*) echo gone-server;;',
    "  *gone) echo gone-session;;",
    "  *) echo alive;;",
    "esac",
  ].join("\n");
}

export interface SendOptions {
  session: string;
  jobId: string;
  step: number;
  /** Steps sent earlier to this session that must have finished first. */
  pending: number[];
  /** Whether to report the session log's size, which pattern waits start from. */
  recordLogOffset: boolean;
}

/**
 * Types the step's line into the pane; the step script must already exist.
 * Prints `busy <step>`, `gone`, or `pane <0|1>` then `sent <log offset>`. One
 * tmux call reads whether the pane is dead and sends the keys, since every
 * fork on this path costs each step a millisecond or more.
 */
export function sendScript(layout: HostLayout, opts: SendOptions): string {
  const t = tmuxPrefix(layout);
  const files = stepFiles(layout, opts.jobId, opts.step);
  const log = `${jobDir(layout, opts.jobId)}/${opts.session}.log`;
  const target = paneTarget(opts.session);
  const lines: string[] = [];
  for (const earlier of opts.pending) {
    const status = stepFiles(layout, opts.jobId, earlier).status;
    lines.push(`[ -s ${quote(status)} ] || { echo busy ${earlier}; exit 0; }`);
  }
  // A step run again (a resumed failure) must not find the last attempt's
  // status; `: >` empties both files without a fork.
  lines.push(`: > ${quote(files.status)}; : > ${quote(files.started)}`);
  if (opts.recordLogOffset) {
    lines.push(`off=$(wc -c < ${quote(log)} 2>/dev/null || echo 0)`);
  } else {
    lines.push("off=0");
  }
  lines.push(
    // Prints `pane 0` or `pane 1` (dead); keys sent to a dead pane go nowhere.
    `${t} display-message -p -t ${target} 'pane #{pane_dead}' \\; send-keys -t ${target} -l ${quote(typedLine(opts.session, opts.step, files))} \\; send-keys -t ${target} Enter 2>/dev/null || { echo gone; exit 0; }`,
    'echo "sent $off"',
  );
  return lines.join("\n");
}

export interface AwaitOptions {
  session: string;
  jobId: string;
  /** Steps whose status files end the wait (all of them must exist). */
  steps: number[];
  /** Upper bound of this request, in one-second polls. */
  polls: number;
  /** When set, a finished wait also prints this many lines of pane text. */
  captureLines?: number;
}

/**
 * Waits until every listed step has a status file, the pane dies, or the poll
 * budget runs out. Prints `done <step>=<rc>...`, `dead ...`, `gone` or `running`.
 * A `tmux wait-for` under `timeout 1` wakes it at once when a pane signals,
 * and the one-second cap means a pane that dies without signalling is seen
 * within a second.
 */
export function awaitScript(layout: HostLayout, opts: AwaitOptions): string {
  const files = opts.steps.map((step) => stepFiles(layout, opts.jobId, step));
  const allDone = files.map((f) => `[ -s ${quote(f.status)} ]`).join(" && ");
  const report = opts.steps
    .map(
      (step, i) =>
        `read rc < ${quote(files[i]!.status)}; out="$out ${step}=$rc"`,
    )
    .join("; ");
  const t = tmuxPrefix(layout);
  const captureOnDone =
    opts.captureLines === undefined
      ? ""
      : ` echo ${CAPTURE_MARK}; ${captureCommand(layout, opts.session, opts.captureLines)};`;
  // Waits on the channel of the first step still missing its status.
  const waitFirstMissing = opts.steps
    .map((step, i) => {
      const channel = quote(waitChannel(opts.session, step));
      return `if [ ! -s ${quote(files[i]!.status)} ]; then timeout 1 ${t} wait-for ${channel} 2>/dev/null;`;
    })
    .join(" el")
    .concat(" fi");
  return [
    "n=0",
    "while :; do",
    `  if ${allDone}; then out=done; ${report}; echo "$out";${captureOnDone} exit 0; fi`,
    `  if [ $n -gt 0 ]; then`,
    `    state=$(${paneStateSnippet(layout, opts.jobId, opts.session)})`,
    '    case $state in gone*|dead=*) echo "$state"; exit 0;; esac',
    `  fi`,
    `  [ $n -ge ${opts.polls} ] && { echo running; exit 0; }`,
    "  n=$((n+1))",
    `  ${waitFirstMissing}`,
    "done",
  ].join("\n");
}

/** Prints `started` or `not-started` for one step. */
export function startedScript(files: StepFiles): string {
  return `[ -s ${quote(files.started)} ] && echo started || echo not-started`;
}

export function interruptScript(layout: HostLayout, session: string): string {
  return `${tmuxPrefix(layout)} send-keys -t ${paneTarget(session)} C-c`;
}

/** Prints the session log from byte `offset` on, at most `limit` bytes. */
export function readLogScript(
  layout: HostLayout,
  jobId: string,
  session: string,
  offset: number,
  limit: number,
): string {
  const log = `${jobDir(layout, jobId)}/${session}.log`;
  return `tail -c +${offset + 1} ${quote(log)} 2>/dev/null | head -c ${limit}`;
}

/** Exit 0 when the path exists on the host. A leading `~/` means the home dir. */
export function fileExistsScript(path: string): string {
  if (path === "~" || path.startsWith("~/")) {
    return `[ -e "$HOME"${quote(path.slice(1))} ]`;
  }
  return `[ -e ${quote(path)} ]`;
}

/**
 * Exit 0 when something listens on TCP `port` on the host. Reads
 * /proc/net/tcp{,6} (state 0A is LISTEN) so it needs no nc or ss; falls back
 * to `nc -z` where /proc is missing.
 */
export function portOpenScript(port: number): string {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const pattern = `^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:[0-9A-F]+ 0A `;
  return [
    "if [ -r /proc/net/tcp ]; then",
    `  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -Eq ${quote(pattern)}`,
    "else",
    `  nc -z 127.0.0.1 ${port}`,
    "fi",
  ].join("\n");
}

/** Line that separates a reply's status lines from the pane text after it. */
export const CAPTURE_MARK = "@@trainsh-capture";

/**
 * Pane text: the screen and up to `maxLines` lines of history above it, with
 * wrapped lines joined. tmux resolves `\r` redraws and escape codes itself,
 * unlike the raw log. The caller cuts it at the step's typed line.
 */
function captureCommand(
  layout: HostLayout,
  session: string,
  maxLines: number,
): string {
  return `${tmuxPrefix(layout)} capture-pane -p -J -t ${paneTarget(session)} -S -${maxLines}`;
}

export function captureScript(
  layout: HostLayout,
  session: string,
  maxLines: number,
): string {
  return captureCommand(layout, session, maxLines);
}

/** Returns a snippet that writes `content` to `path` with `mode`. */
export function writeFileSnippet(
  path: string,
  content: string,
  mode: number,
): string {
  // printf is a builtin in every POSIX shell, so this costs no fork; channel
  // requests run in their own subshell, so the umask stays local.
  const write = `umask 077; printf '%s' ${quote(content)} > ${quote(path)}`;
  if (mode === 0o600) return write;
  return `${write}\nchmod ${mode.toString(8)} ${quote(path)}`;
}
