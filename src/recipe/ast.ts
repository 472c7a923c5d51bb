// The parsed form of a `.recipe` file. Text fields keep `$NAME`, `${NAME}` and
// `${secret:NAME}` references unexpanded: interpolation happens at run time so
// `--var` overrides and values set by earlier steps apply.

export interface SourcePos {
  file: string;
  /** 1-based line of the step's first physical line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export type DefinitionKind = "var" | "host" | "storage";

export interface Definition {
  kind: DefinitionKind;
  name: string;
  /** The raw right-hand side, trimmed; for hosts and storages the spec text. */
  value: string;
  pos: SourcePos;
  /** The definition's source text, continuation lines joined; used to quote it in errors. */
  text?: string;
}

export type WaitCondition =
  | { kind: "pattern"; pattern: string }
  | { kind: "file"; path: string }
  /** `port` stays text because it may be a `$VAR` reference. */
  | { kind: "port"; port: string }
  | { kind: "idle" };

interface StepBase {
  /** 0-based position among the recipe's steps. */
  index: number;
  pos: SourcePos;
  /** The step's source text, continuation lines joined, heredoc included. */
  text: string;
}

export interface ExecuteStep extends StepBase {
  kind: "execute";
  /** Host or session name, without the `@`. */
  target: string;
  command: string;
  background: boolean;
  /** Seconds; the runner applies its default when absent. */
  timeoutSec?: number;
}

export interface WaitStep extends StepBase {
  kind: "wait";
  target: string;
  condition: WaitCondition;
  timeoutSec?: number;
}

export interface TransferStep extends StepBase {
  kind: "transfer";
  /** Endpoint text: `@name:path`, `@name` or a local path. */
  source: string;
  destination: string;
}

export interface TmuxOpenStep extends StepBase {
  kind: "tmux.open";
  /** Host name, without the `@`. */
  target: string;
  /** The `as NAME` session alias, addressed later as `@NAME`. */
  session?: string;
}

export interface TmuxCloseStep extends StepBase {
  kind: "tmux.close";
  /** Host or session alias, without the `@`. */
  target: string;
}

export interface NotifyStep extends StepBase {
  kind: "notify";
  message: string;
}

export interface SleepStep extends StepBase {
  kind: "sleep";
  seconds: number;
}

export interface VastPickStep extends StepBase {
  kind: "vast.pick";
  target: string;
  /** `key=value` options as written (`num_gpus`, `min_gpu_ram`, `gpu`, `max_dph`, `limit`, ...). */
  options: Record<string, string>;
}

export interface VastInstanceStep extends StepBase {
  kind: "vast.start" | "vast.stop" | "vast.cost";
  instanceId?: string;
}

export interface VastWaitStep extends StepBase {
  kind: "vast.wait";
  instanceId?: string;
  timeoutSec?: number;
  pollSec?: number;
  stopOnFail?: boolean;
}

export type Step =
  | ExecuteStep
  | WaitStep
  | TransferStep
  | TmuxOpenStep
  | TmuxCloseStep
  | NotifyStep
  | SleepStep
  | VastPickStep
  | VastInstanceStep
  | VastWaitStep;

export type StepKind = Step["kind"];

export interface Recipe {
  /** Absolute path of the source file, or a label such as `<exec>`. */
  file: string;
  definitions: Definition[];
  steps: Step[];
}
