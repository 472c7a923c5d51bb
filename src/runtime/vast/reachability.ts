// When the channel to a `vast:` host fails, the Vast.ai API decides whether
// the machine is still there, because one failed SSH connection does not mean
// the instance is gone. A running instance keeps the step waiting. An
// instance that is destroyed, stopped or exited fails the step at once,
// because its container and the step's processes have ended.
import type { RunContext } from "../context.ts";
import { isNotFound, showInstance } from "../../providers/vast/instances.ts";
import { describeStatus } from "../../providers/vast/status.ts";

/** Minimum time between two API reads for one unreachable host. */
const CHECK_INTERVAL_MS = 10_000;

export type InstanceVerdict =
  /** The container exists and may come back: keep waiting. */
  | { kind: "alive"; instanceId: number; status: string }
  /** The container ended: waiting cannot help. */
  | { kind: "ended"; instanceId: number; status: string };

export class InstanceEndedError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "InstanceEndedError";
  }
}

/** Reads the instance behind one recipe host while it is unreachable. */
export class InstanceWatch {
  private lastCheck = 0;
  private last: InstanceVerdict | undefined;
  private lastReadError: string | undefined;

  private constructor(
    private readonly ctx: RunContext,
    readonly instanceId: number,
  ) {}

  /** A watch for `@hostName`, or undefined when it is not a Vast.ai instance. */
  static forHost(ctx: RunContext, hostName: string): InstanceWatch | undefined {
    const id = ctx.vastInstanceOf(hostName);
    return id === undefined ? undefined : new InstanceWatch(ctx, id);
  }

  /**
   * Returns the API's last verdict on the instance, reading it again when
   * the last read is older than 10 s. A failed read keeps the previous
   * verdict (undefined at first), so an API outage alone never fails a step.
   */
  async check(): Promise<InstanceVerdict | undefined> {
    if (Date.now() - this.lastCheck < CHECK_INTERVAL_MS) return this.last;
    this.lastCheck = Date.now();
    const id = this.instanceId;
    try {
      const instance = await showInstance(
        this.ctx.vastClient(),
        id,
        this.ctx.signal,
      );
      const status = describeStatus(instance);
      const ended = ["stopped", "exited"].includes(instance.actualStatus ?? "");
      this.last = { kind: ended ? "ended" : "alive", instanceId: id, status };
    } catch (error) {
      if (isNotFound(error)) {
        this.last = { kind: "ended", instanceId: id, status: "destroyed" };
        return this.last;
      }
      // The same failure every 10 s for minutes is reported once.
      const message = (error as Error).message;
      if (message !== this.lastReadError)
        this.ctx.emit({
          kind: "warn",
          message: `reading Vast.ai instance ${id} failed, so SSH alone decides for now: ${message}`,
        });
      this.lastReadError = message;
    }
    return this.last;
  }
}

/** Builds the failure for an instance whose container ended while a step used it. */
export function instanceEnded(
  ctx: RunContext,
  what: string,
  verdict: InstanceVerdict,
): InstanceEndedError {
  const id = verdict.instanceId;
  const next =
    verdict.status === "destroyed"
      ? `rent or pick another instance, then resume: train recipe resume ${ctx.state.id}`
      : `start it with \`train vast start ${id}\`, then resume: train recipe resume ${ctx.state.id}`;
  return new InstanceEndedError(
    `${what}: the host is unreachable and Vast.ai reports instance ${id} ${verdict.status}, so the step's processes have ended`,
    next,
  );
}
