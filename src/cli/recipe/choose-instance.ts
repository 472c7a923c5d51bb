// The terminal choice that vast.pick offers when stdin and stderr are a
// terminal; the live view stops redrawing while the prompt is open.
import type { InstanceChooser } from "../../runtime/context.ts";
import type { EventSink } from "../../runtime/events.ts";
import { LiveView } from "../../ui/live-view.ts";
import { askChoice, canPrompt } from "../../ui/prompt.ts";
import { CancelError } from "../errors.ts";

export function chooseInstanceOnTerminal(
  view: EventSink,
): InstanceChooser | undefined {
  if (!canPrompt()) return undefined;
  return async (title, choices) => {
    const resume = view instanceof LiveView ? view.pause() : () => {};
    try {
      const options = choices.map((c) => ({
        value: String(c.value),
        label: c.label,
      }));
      return Number(await askChoice(title, options));
    } catch (error) {
      if (error instanceof CancelError) return undefined;
      throw error;
    } finally {
      resume();
    }
  };
}
