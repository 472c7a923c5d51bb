/**
 * A transfer that was rejected before anything was copied or deleted: an
 * unsupported endpoint, a missing source, an unsafe `--delete`, or a host
 * that cannot be reached for the pre-flight checks.
 */
export class TransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransferError";
  }
}
