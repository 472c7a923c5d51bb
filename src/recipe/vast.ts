// vast.pick, vast.start, vast.stop, vast.cost and vast.wait.

import type { VastInstanceStep, VastPickStep, VastWaitStep } from "./ast.ts";
import type { CommandArgs } from "./control.ts";
import { parseTarget } from "./execute.ts";
import { LineIssue } from "./line-issue.ts";
import { VARIABLE_VALUE } from "./names.ts";
import {
  parseDurationOption,
  rejectRepeat,
  requireValue,
  splitKeyValue,
  type KeyValue,
} from "./options.ts";
import type { Token } from "./tokens.ts";

type ValueRule = "integer" | "number" | "boolean" | "text";

const PICK_OPTIONS: Record<string, ValueRule> = {
  num_gpus: "integer",
  min_gpu_ram: "number",
  gpu: "text",
  max_dph: "number",
  limit: "integer",
  create: "boolean",
  image: "text",
  disk: "number",
};

const RULE_TEXT: Record<ValueRule, string> = {
  integer: "a whole number of 1 or more, such as 2",
  number: "a number such as 24 or 0.5",
  boolean: "true or false",
  text: "a value",
};

const RULE_PATTERN: Record<ValueRule, RegExp> = {
  integer: /^[1-9]\d*$/,
  number: /^\d+(?:\.\d+)?$/,
  boolean: /^(?:true|false)$/,
  text: /./,
};

type VastPickBody = Pick<VastPickStep, "kind" | "target" | "options">;

export function parseVastPick({ args, end }: CommandArgs): VastPickBody {
  const [host, ...rest] = args;
  if (host === undefined || !host.raw.startsWith("@")) {
    throw new LineIssue(
      host?.start ?? end,
      "missing host for vast.pick",
      "write vast.pick @gpu [num_gpus=1 min_gpu_ram=24 ...]",
    );
  }
  const target = parseTarget(host, "host");
  const options: Record<string, string> = {};
  const seen = new Set<string>();
  for (const token of rest) {
    const option = readPickOption(token);
    rejectRepeat(seen, option);
    options[option.key] = option.value;
  }
  if (options.create === "true" && options.image === undefined) {
    throw new LineIssue(
      end,
      "vast.pick create=true needs the image to run",
      "add image=IMAGE, such as image=pytorch/pytorch",
    );
  }
  return { kind: "vast.pick", target, options };
}

function readPickOption(token: Token): KeyValue {
  const option = splitKeyValue(token);
  const names = Object.keys(PICK_OPTIONS).join(", ");
  if (option === undefined) {
    throw new LineIssue(
      token.start,
      `unexpected "${token.raw}" in vast.pick`,
      `options are key=value with keys ${names}`,
    );
  }
  const rule = PICK_OPTIONS[option.key];
  if (rule === undefined) {
    throw new LineIssue(
      token.start,
      `unknown vast.pick option "${option.key}"`,
      `valid options are ${names}`,
    );
  }
  validateValue(option, rule);
  return option;
}

function validateValue(option: KeyValue, rule: ValueRule): void {
  const value = requireValue(option, rule === "boolean" ? "true" : "1");
  if (VARIABLE_VALUE.test(value) || RULE_PATTERN[rule].test(value)) return;
  throw new LineIssue(
    option.valueStart,
    `invalid ${option.key} "${value}": use ${RULE_TEXT[rule]}`,
  );
}

// The step stores a boolean, so a `$NAME` reference is not accepted here.
function readBoolean(option: KeyValue): boolean {
  const value = requireValue(option, "true");
  if (value === "true" || value === "false") return value === "true";
  throw new LineIssue(
    option.valueStart,
    `invalid ${option.key} "${value}": use true or false`,
  );
}

type VastInstanceBody = Pick<VastInstanceStep, "kind" | "instanceId">;

export function parseVastInstance(
  kind: VastInstanceStep["kind"],
  { args }: CommandArgs,
): VastInstanceBody {
  const [id, extra] = args;
  if (extra !== undefined) {
    throw new LineIssue(
      extra.start,
      `unexpected "${extra.raw}" after ${kind}`,
      `write ${kind} [ID]`,
    );
  }
  const body: VastInstanceBody = { kind };
  if (id !== undefined) body.instanceId = readInstanceId(id, kind);
  return body;
}

function readInstanceId(token: Token, kind: string): string {
  if (/^\d+$/.test(token.value) || VARIABLE_VALUE.test(token.value))
    return token.value;
  throw new LineIssue(
    token.start,
    `invalid instance id "${token.value}" for ${kind}`,
    "use the numeric Vast.ai instance id or a variable such as $VAST_ID",
  );
}

type VastWaitBody = Pick<
  VastWaitStep,
  "kind" | "instanceId" | "timeoutSec" | "pollSec" | "stopOnFail"
>;

export function parseVastWait({ args }: CommandArgs): VastWaitBody {
  const body: VastWaitBody = { kind: "vast.wait" };
  const seen = new Set<string>();
  args.forEach((token, index) => {
    const option = splitKeyValue(token);
    if (option === undefined && index === 0) {
      body.instanceId = readInstanceId(token, "vast.wait");
      return;
    }
    if (option === undefined) {
      throw new LineIssue(
        token.start,
        `unexpected "${token.raw}" in vast.wait`,
        "write vast.wait [ID] [timeout=DURATION] [poll=DURATION] [stop_on_fail=true|false]",
      );
    }
    rejectRepeat(seen, option);
    applyWaitOption(body, option);
  });
  return body;
}

function applyWaitOption(body: VastWaitBody, option: KeyValue): void {
  if (option.key === "timeout") {
    body.timeoutSec = parseDurationOption(option);
  } else if (option.key === "poll") {
    body.pollSec = parseDurationOption(option);
  } else if (option.key === "stop_on_fail") {
    body.stopOnFail = readBoolean(option);
  } else {
    throw new LineIssue(
      option.valueStart - option.key.length - 1,
      `unknown vast.wait option "${option.key}"`,
      "valid options are timeout, poll and stop_on_fail",
    );
  }
}
