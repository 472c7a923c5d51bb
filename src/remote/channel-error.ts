import type { SshFailureKind } from "./ssh-failure.ts";

/**
 * Why a channel request failed without an exit code of its own: the
 * transport failed ("protocol" is a malformed response or a closed
 * channel, "aborted" is the caller's AbortSignal).
 */
export type ChannelErrorKind = SshFailureKind | "protocol" | "aborted";

/**
 * A failure of the control channel itself (could not connect, connection
 * lost, timed out), as opposed to a script that ran and exited non-zero.
 */
export class ChannelError extends Error {
  readonly kind: ChannelErrorKind;
  readonly host: string;

  constructor(kind: ChannelErrorKind, host: string, message: string) {
    super(message);
    this.name = "ChannelError";
    this.kind = kind;
    this.host = host;
  }
}
