// One control channel per host label for the whole run. A channel
// reconnects by itself after a drop, so the pool only caches and replaces
// a channel whose host was resolved to a different address.
import type { ResolvedHost } from "../hosts/spec.ts";
import { openChannel, type Channel } from "./channel.ts";

interface Entry {
  key: string;
  channel: Promise<Channel>;
}

export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();

  /** Returns the channel for `host.label`, opening it on first use. */
  async channel(host: ResolvedHost): Promise<Channel> {
    const key = JSON.stringify(host);
    const entry = this.entries.get(host.label);
    if (entry !== undefined && entry.key === key) return entry.channel;
    if (entry !== undefined) void closeQuietly(entry.channel);
    const channel = openChannel(host);
    this.entries.set(host.label, { key, channel });
    // A failed open is not cached, so the next call tries again.
    channel.catch(() => {
      if (this.entries.get(host.label)?.channel === channel)
        this.entries.delete(host.label);
    });
    return channel;
  }

  /** Closes every channel. The pool can be used again afterwards. */
  async closeAll(): Promise<void> {
    const channels = [...this.entries.values()].map((entry) => entry.channel);
    this.entries.clear();
    await Promise.all(channels.map(closeQuietly));
  }
}

async function closeQuietly(channel: Promise<Channel>): Promise<void> {
  try {
    await (await channel).close();
  } catch {
    // A channel that never opened has nothing to close.
  }
}
