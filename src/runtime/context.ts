// Everything a step needs while a recipe runs: variables, hosts and their
// drivers, open sessions, the job record and where events go.
import type { Recipe } from "../recipe/ast.ts";
import { interpolate } from "../recipe/interpolate.ts";
import type { ConnectionPool } from "../remote/pool.ts";
import type { SecretsProvider } from "../secrets/provider.ts";
import type { ResolvedHost } from "../hosts/spec.ts";
import type { EventSink, RunEvent } from "./events.ts";
import type { JobState, SessionRecord } from "./job-state.ts";
import type { JobStore } from "./job-store.ts";
import { HostDriver } from "./host-driver.ts";
import { resolveRunHost } from "./run-hosts.ts";

export interface RunSettings {
  /** Default timeout of a foreground execute step, in seconds. */
  executeTimeoutSec: number;
  /** Default timeout of a wait step, in seconds. */
  waitTimeoutSec: number;
  tmuxSocket: string;
  tmuxWidth: number;
  tmuxHeight: number;
  webhookUrl?: string;
  /** Whether undefined `@name` may name a host directly (`train exec`). */
  implicitHosts: boolean;
}

export interface RunDeps {
  recipe: Recipe;
  state: JobState;
  store: JobStore;
  pool: ConnectionPool;
  events: EventSink;
  secrets: SecretsProvider;
  settings: RunSettings;
  /** Aborted on Ctrl-C: steps stop waiting and the run detaches. */
  signal: AbortSignal;
}

export class RunContext {
  private readonly drivers = new Map<string, Promise<HostDriver>>();

  /** Whether any step waits for a pattern, so sends must note the log offset. */
  readonly hasPatternWaits: boolean;

  constructor(readonly deps: RunDeps) {
    this.hasPatternWaits = deps.recipe.steps.some(
      (step) => step.kind === "wait" && step.condition.kind === "pattern",
    );
  }

  get state(): JobState {
    return this.deps.state;
  }

  get settings(): RunSettings {
    return this.deps.settings;
  }

  get signal(): AbortSignal {
    return this.deps.signal;
  }

  emit(event: RunEvent): void {
    this.deps.events.emit(event);
  }

  save(): void {
    this.state.updatedAt = new Date().toISOString();
    this.deps.store.save(this.state);
  }

  /** Variables visible to steps: definitions, then `--var`, then values set by steps. */
  variables(): Map<string, string> {
    const vars = new Map<string, string>();
    for (const def of this.deps.recipe.definitions) {
      if (def.kind === "var") vars.set(def.name, def.value);
    }
    for (const [name, value] of Object.entries(this.state.varOverrides))
      vars.set(name, value);
    for (const [name, value] of Object.entries(this.state.runtimeVars))
      vars.set(name, value);
    return vars;
  }

  /** Expands `$NAME`, `${NAME}` and `${secret:NAME}`; secret values get redacted everywhere. */
  expand(text: string): string {
    const secrets = this.deps.secrets;
    return interpolate(text, {
      vars: this.variables(),
      secret: (name) => secrets.get(name),
    }).text;
  }

  isHostName(name: string): boolean {
    if (name in this.state.hostOverrides) return true;
    return this.deps.recipe.definitions.some(
      (d) => d.kind === "host" && d.name === name,
    );
  }

  isStorageName(name: string): boolean {
    return this.deps.recipe.definitions.some(
      (d) => d.kind === "storage" && d.name === name,
    );
  }

  resolveHost(name: string): ResolvedHost {
    const definitions = new Map<string, string>();
    for (const def of this.deps.recipe.definitions) {
      if (def.kind === "host")
        definitions.set(def.name, this.expand(def.value));
    }
    return resolveRunHost(name, {
      definitions,
      overrides: this.state.hostOverrides,
      implicitHosts: this.settings.implicitHosts,
    });
  }

  /** The driver of a recipe host, connected and probed once per run. */
  driver(hostName: string): Promise<HostDriver> {
    let pending = this.drivers.get(hostName);
    if (pending === undefined) {
      pending = this.connect(hostName);
      this.drivers.set(hostName, pending);
      // A failed connect is retried by the next caller, not cached.
      pending.catch(() => this.drivers.delete(hostName));
    }
    return pending;
  }

  private async connect(hostName: string): Promise<HostDriver> {
    const host = this.resolveHost(hostName);
    const channel = await this.deps.pool.channel(host);
    return HostDriver.connect(host, channel, this.settings.tmuxSocket);
  }

  /** The session addressed by `@name`: an alias, or the default session of a host. */
  session(name: string): SessionRecord | undefined {
    return this.state.sessions[name];
  }

  tmuxName(alias: string): string {
    const safe = alias.replace(/[^A-Za-z0-9_-]/g, "_");
    return `trainsh-${this.state.id}-${safe}`;
  }
}
