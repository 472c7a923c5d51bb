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
import {
  HostResolutionError,
  resolveRunHost,
  runHostSpec,
  type HostSources,
} from "./run-hosts.ts";
import type { VastClient } from "../providers/vast/client.ts";
import { showInstance } from "../providers/vast/instances.ts";
import { sshEndpoint } from "../providers/vast/endpoint.ts";
import { describeStatus } from "../providers/vast/status.ts";
import { vastSshHost } from "../providers/vast/ssh-host.ts";

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
  vast: VastRunSettings;
}

export interface VastRunSettings {
  /** Attach the public key of `sshKeyPath` to an instance before vast.wait logs in. */
  autoAttachSshKey: boolean;
  /** Policy for an instance the run started when the run fails. */
  onFailure: "stop" | "keep";
  /** Private key for instances (config `defaults.ssh_key_path`). */
  sshKeyPath: string;
  /** Display currency (config `ui.currency`). */
  currency: string;
  /** How long to re-read an instance until a stop is confirmed (config `vast.confirm_timeout`), in seconds. */
  confirmTimeoutSec: number;
}

/** Chooses one of several instances on a terminal; undefined when cancelled. */
export type InstanceChooser = (
  title: string,
  choices: { value: number; label: string }[],
) => Promise<number | undefined>;

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
  /** The Vast.ai client, built on first use; throws when no key is set. */
  vast?: () => VastClient;
  /** Interactive choice for vast.pick; absent when there is no terminal. */
  chooseInstance?: InstanceChooser;
}

export class RunContext {
  private readonly drivers = new Map<string, Promise<HostDriver>>();
  private readonly vastHosts = new Map<number, ResolvedHost>();

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

  /**
   * Expands a command for the host's shell. A secret becomes a reference to
   * a shell variable that `shellSecretPrelude` assigns, so its value reaches
   * the shell as data: a `$(...)` or a quote inside a secret never runs.
   */
  expandCommand(text: string): { command: string; secrets: string[] } {
    const provider = this.deps.secrets;
    const values: string[] = [];
    const command = interpolate(text, {
      vars: this.variables(),
      secret: (name) => {
        const value = provider.get(name);
        if (value === undefined) return undefined;
        values.push(value);
        return `\${__trainsh_secret_${values.length - 1}}`;
      },
    }).text;
    return { command, secrets: values };
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

  private hostSources(): HostSources {
    const definitions = new Map<string, string>();
    for (const def of this.deps.recipe.definitions) {
      if (def.kind === "host")
        definitions.set(def.name, this.expand(def.value));
    }
    return {
      definitions,
      overrides: this.state.hostOverrides,
      implicitHosts: this.settings.implicitHosts,
      picked: this.state.pickedHosts,
      vastHost: (id) => this.vastHosts.get(id),
    };
  }

  resolveHost(name: string): ResolvedHost {
    return resolveRunHost(name, this.hostSources());
  }

  vastClient(): VastClient {
    if (this.deps.vast === undefined)
      throw new Error("this run has no Vast.ai client");
    return this.deps.vast();
  }

  /** Returns the Vast.ai instance id behind `@name`, or undefined for any other host. */
  vastInstanceOf(name: string): number | undefined {
    try {
      const spec = runHostSpec(name, this.hostSources());
      return spec.kind === "vast" ? Number(spec.instanceId) : undefined;
    } catch (error) {
      if (error instanceof HostResolutionError) return undefined;
      throw error;
    }
  }

  /** Records the ssh host of an instance whose login vast.wait checked. */
  rememberVastHost(instanceId: number, host: ResolvedHost): void {
    this.vastHosts.set(instanceId, host);
  }

  /**
   * Looks up the SSH endpoint of `@name` when it is a Vast.ai instance that
   * no step has resolved yet, e.g. one given with `--host gpu=vast:ID`.
   */
  async prepareHost(name: string): Promise<void> {
    const spec = runHostSpec(name, this.hostSources());
    if (spec.kind !== "vast") return;
    const id = Number(spec.instanceId);
    if (this.vastHosts.has(id)) return;
    const instance = await showInstance(this.vastClient(), id, this.signal);
    const endpoint = sshEndpoint(instance);
    if (instance.actualStatus !== "running" || endpoint === undefined) {
      throw new HostResolutionError(
        `Vast.ai instance ${id} for @${name} is ${describeStatus(instance)}, not running with an SSH address`,
        `start it with \`train vast start ${id}\`, or add vast.start and vast.wait before this step`,
      );
    }
    const keyPath = this.settings.vast.sshKeyPath;
    this.vastHosts.set(id, vastSshHost(name, id, endpoint, keyPath));
  }

  /** Returns the driver of a recipe host, connected and probed once per run. */
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
    await this.prepareHost(hostName);
    const host = this.resolveHost(hostName);
    const channel = await this.deps.pool.channel(host);
    return HostDriver.connect(host, channel, this.settings.tmuxSocket);
  }

  /** Returns the session that `@name` addresses: an alias, or a host's default session. */
  session(name: string): SessionRecord | undefined {
    return this.state.sessions[name];
  }

  tmuxName(alias: string): string {
    const safe = alias.replace(/[^A-Za-z0-9_-]/g, "_");
    return `trainsh-${this.state.id}-${safe}`;
  }
}
