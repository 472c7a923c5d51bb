// NOTE: vast.* steps parse and check, but the Vast.ai client is not part of
// this version yet; running one fails with this message instead of guessing.
import type { Step } from "../../recipe/ast.ts";
import { failed, type StepOutcome } from "../step-outcome.ts";

export function runVastUnsupported(step: Step): StepOutcome {
  return failed(`${step.kind} is not supported in this version of train`, {
    output:
      "run the instance yourself and pass its SSH address with --host NAME=user@host -p PORT",
  });
}
