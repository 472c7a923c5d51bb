// Static checks of a parsed recipe that need no network: every `@NAME` names
// something, sessions are opened before use, placeholders get filled, and
// referenced secrets exist.

import type { Definition, Recipe, Step, TransferStep } from "./ast.ts";
import {
  checkSecrets,
  checkSpecVariables,
  locateProblem,
} from "./check-references.ts";
import type { RecipeError } from "./errors.ts";

export interface CheckContext {
  /** Returns the secret's value, or undefined when it is not set. */
  secret(name: string): string | undefined;
  /** `@name` may be any hosts.toml name or ssh alias, as in `train exec`. */
  implicitHosts?: boolean;
  /** Names in hosts.toml. */
  knownHosts?: ReadonlySet<string>;
  /** Hosts given with `--host NAME=SPEC` for this run. */
  overriddenHosts?: ReadonlySet<string>;
  /** Storages given a spec for this run. */
  overriddenStorages?: ReadonlySet<string>;
  /** Variables given with `--var NAME=VALUE` for this run. */
  overriddenVars?: ReadonlySet<string>;
  /**
   * Returns why a storage cannot be used (an unknown storages.toml name, a
   * missing credential) as [problem, hint], or undefined when it can.
   * Checked before a run starts, so the run does not fail at its transfer.
   */
  storageProblem?(name: string, spec: string): [string, string] | undefined;
}

/** Returns every problem found, in step order; an empty list means the recipe passed. */
export function checkRecipe(recipe: Recipe, ctx: CheckContext): RecipeError[] {
  return new RecipeChecker(recipe, ctx).run();
}

class RecipeChecker {
  private readonly errors: RecipeError[] = [];
  private readonly definitions = new Map<string, Definition>();
  /** Open sessions and the line that opened them. */
  private readonly open = new Map<string, number>();
  private readonly closed = new Map<string, number>();
  private readonly picked = new Set<string>();
  /** Host and storage names already reported, so each is reported once. */
  private readonly reportedNames = new Set<string>();
  private hasVastInstance: boolean;

  constructor(
    private readonly recipe: Recipe,
    private readonly ctx: CheckContext,
  ) {
    for (const definition of recipe.definitions) {
      this.definitions.set(definition.name, definition);
    }
    this.hasVastInstance =
      this.definitionOf("VAST_ID", "var") !== undefined ||
      (ctx.overriddenVars?.has("VAST_ID") ?? false);
  }

  run(): RecipeError[] {
    const isVariable = (name: string) => this.isVariable(name);
    this.errors.push(...checkSpecVariables(this.recipe, isVariable));
    this.errors.push(...checkSecrets(this.recipe, this.ctx.secret));
    for (const step of this.recipe.steps) this.checkStep(step);
    return this.errors;
  }

  private checkStep(step: Step): void {
    switch (step.kind) {
      case "execute":
      case "wait":
        return this.checkSessionTarget(step, step.target);
      case "transfer":
        return this.checkTransfer(step);
      case "tmux.open":
        return this.checkOpen(step, step.target, step.session ?? step.target);
      case "tmux.close":
        return this.checkClose(step, step.target);
      case "vast.pick":
        this.checkHostTarget(step, step.target, false);
        this.picked.add(step.target);
        this.hasVastInstance = true;
        return;
      case "vast.start":
      case "vast.stop":
      case "vast.cost":
      case "vast.wait":
        return this.checkVastInstance(step, step.instanceId);
      case "notify":
      case "sleep":
        return;
    }
  }

  // Execute and wait steps address a host or a session alias.
  private checkSessionTarget(step: Step, target: string): void {
    if (this.open.has(target) && !this.definitions.has(target)) return;
    const closedAt = this.closed.get(target);
    if (closedAt !== undefined && !this.isHost(target)) {
      this.add(
        step,
        `@${target}`,
        `session "${target}" was closed on line ${closedAt}`,
        `open it again with tmux.open before this step`,
      );
      return;
    }
    this.checkHostTarget(step, target, true);
  }

  private checkHostTarget(
    step: Step,
    target: string,
    needsPick: boolean,
  ): void {
    const definition = this.definitions.get(target);
    if (definition?.kind === "storage" || definition?.kind === "var") {
      const description =
        definition.kind === "var" ? "a variable" : "a storage";
      this.add(
        step,
        `@${target}`,
        `"${target}" is ${description}, not a host`,
        `define a host with "host NAME = spec" and use @NAME`,
      );
      return;
    }
    if (definition === undefined && !this.isHost(target)) {
      this.add(
        step,
        `@${target}`,
        `unknown host "${target}"`,
        this.hostHint(target),
      );
      return;
    }
    if (needsPick) this.checkPlaceholder(step, target);
  }

  private checkPlaceholder(step: Step, host: string): void {
    const definition = this.definitionOf(host, "host");
    if (definition?.value !== "placeholder" || this.picked.has(host)) return;
    if (this.ctx.overriddenHosts?.has(host) || this.reportedNames.has(host))
      return;

    this.reportedNames.add(host);
    this.add(
      step,
      `@${host}`,
      `host "${host}" is a placeholder and no vast.pick @${host} comes before this step`,
      `add "vast.pick @${host}" earlier, or run with --host ${host}=SPEC`,
    );
  }

  private checkTransfer(step: TransferStep): void {
    for (const endpoint of [step.source, step.destination]) {
      if (!endpoint.startsWith("@")) continue;
      const name = endpoint.slice(1).split(":")[0] as string;
      const definition = this.definitions.get(name);
      if (definition?.kind === "storage") {
        this.checkStorage(step, definition);
      } else if (this.open.has(name) && definition === undefined) {
        this.add(
          step,
          `@${name}`,
          `"${name}" is a tmux session, but a transfer needs a host or storage`,
          `use the host that tmux.open opened it on`,
        );
      } else if (definition === undefined && !this.isHost(name)) {
        this.add(
          step,
          `@${name}`,
          `unknown host or storage "${name}"`,
          this.hostHint(name),
        );
      } else {
        this.checkHostTarget(step, name, true);
      }
    }
  }

  private checkStorage(step: Step, storage: Definition): void {
    if (this.reportedNames.has(storage.name)) return;
    const overridden = this.ctx.overriddenStorages?.has(storage.name) === true;
    if (storage.value !== "placeholder" || overridden) {
      const problem = this.ctx.storageProblem?.(storage.name, storage.value);
      if (problem === undefined) return;
      this.reportedNames.add(storage.name);
      this.add(step, `@${storage.name}`, problem[0], problem[1]);
      return;
    }

    this.reportedNames.add(storage.name);
    this.add(
      step,
      `@${storage.name}`,
      `storage "${storage.name}" is a placeholder`,
      `give it a spec such as r2:bucket in the recipe, or fill it for the run with --storage ${storage.name}=SPEC`,
    );
  }

  private checkOpen(step: Step, host: string, session: string): void {
    this.checkHostTarget(step, host, true);
    const openedAt = this.open.get(session);
    if (openedAt !== undefined) {
      this.add(
        step,
        "tmux.open",
        `session "${session}" is already open since line ${openedAt}`,
        `close it first, or open a second session with "tmux.open @${host} as NAME"`,
      );
      return;
    }
    const clash = session !== host ? this.definitions.get(session) : undefined;
    if (clash !== undefined) {
      this.add(
        step,
        ` as ${session}`,
        `session name "${session}" is already a ${clash.kind} name`,
        "choose a session name that no var, host or storage uses",
      );
    }
    this.open.set(session, step.pos.line);
    this.closed.delete(session);
  }

  private checkClose(step: Step, session: string): void {
    if (this.open.delete(session)) {
      this.closed.set(session, step.pos.line);
      return;
    }
    const closedAt = this.closed.get(session);
    const message =
      closedAt !== undefined
        ? `session "${session}" was already closed on line ${closedAt}`
        : `session "${session}" was never opened`;
    const written = step.text.includes(`@${session}`) ? `@${session}` : session;
    const hint = `open it first with "tmux.open @${session}" or "tmux.open @HOST as ${session}"`;
    this.add(step, written, message, hint);
  }

  // A vast.start with an id gives later vast.* steps their instance.
  private checkVastInstance(step: Step, instanceId: string | undefined): void {
    if (instanceId !== undefined) {
      if (step.kind === "vast.start") this.hasVastInstance = true;
      return;
    }
    if (this.hasVastInstance) return;
    this.add(
      step,
      step.kind,
      `${step.kind} has no instance id`,
      `give one (${step.kind} 12345), define var VAST_ID, or run vast.pick @HOST before it`,
    );
  }

  private isHost(name: string): boolean {
    if (name === "local" || this.ctx.implicitHosts) return true;
    if (this.ctx.knownHosts?.has(name) || this.ctx.overriddenHosts?.has(name))
      return true;
    return this.definitionOf(name, "host") !== undefined;
  }

  private isVariable(name: string): boolean {
    return (
      this.definitionOf(name, "var") !== undefined ||
      (this.ctx.overriddenVars?.has(name) ?? false)
    );
  }

  private definitionOf(
    name: string,
    kind: Definition["kind"],
  ): Definition | undefined {
    const definition = this.definitions.get(name);
    return definition?.kind === kind ? definition : undefined;
  }

  private hostHint(name: string): string {
    const hosts = this.recipe.definitions
      .filter((d) => d.kind === "host")
      .map((d) => d.name);
    const known =
      hosts.length > 0 ? `; defined hosts: ${hosts.join(", ")}` : "";
    return `define it with "host ${name} = user@host"${known}`;
  }

  private add(
    step: Step,
    needle: string,
    message: string,
    hint?: string,
  ): void {
    const offset = Math.max(0, step.text.indexOf(needle));
    const problem =
      hint === undefined ? { offset, message } : { offset, message, hint };
    this.errors.push(locateProblem(step.pos, step.text, problem));
  }
}
