// A fake Vast.ai REST API on 127.0.0.1 for tests, with the service's
// documented routes and shapes. It covers offer search (default filters and
// comparison operators), renting, start/stop/reboot/destroy, and account and
// instance SSH keys. An instance's status moves from null to loading to
// running one read at a time. Failures, plain-text 429s included, can be
// injected per route, and `lagReads` makes a stopped or destroyed instance
// still show as running for a few reads, as the service does. Every request is recorded; a request that matches no route gets
// a 404 and is kept in `unmatched`, so a test can fail on it.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { writeFileSync } from "node:fs";

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  /** Path without the query, trailing slash removed. */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  authorization: string | undefined;
  status: number;
}

export interface FakeVastOptions {
  apiKey: string;
  /** Proxy SSH endpoint given to every instance (`ssh_host`, `ssh_port`). */
  ssh: { host: string; port: number };
  /** When set, running instances with a direct runtype map 22/tcp here. */
  direct?: { ip: string; port: number };
  /** Keys attached to instances or the account are written to this file. */
  authorizedKeysPath?: string;
  offers?: Json[];
  /** Status for a bad key; the service mostly returns 404 with auth_error. */
  authFailureStatus?: 401 | 403 | 404;
  /** Returns every offer whatever the filters, like a service that ignored them. */
  ignoreOfferFilters?: boolean;
  /**
   * Statuses a started instance shows on its next reads, one per read; the
   * last one stays. Default: stopped (still waiting for its GPU), loading,
   * running.
   */
  startSequence?: (string | null)[];
  /**
   * Reads for which an instance still shows running after a stop or destroy
   * request got its 200. Default 0: the change shows on the next read.
   */
  lagReads?: number;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  body: string;
  contentType: string;
  times: number;
}

export interface FakeInstance extends Json {
  id: number;
  actual_status: string | null;
  intended_status: string;
  /** Statuses the next reads of this instance will show, one per read. */
  upcoming: (string | null)[];
  keys: string[];
  /** Reads left before a destroyed instance disappears, when destroy lags. */
  readsUntilGone?: number;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle: (match: RegExpMatchArray, request: ParsedRequest) => Reply;
}

interface ParsedRequest {
  query: Record<string, unknown>;
  body: Json;
}

interface Reply {
  status: number;
  body: unknown;
}

const HOURS_PER_MONTH = 730;

export const SAMPLE_OFFERS: Json[] = [
  offer(9001, "RTX 4090", 1, 24564, 0.35),
  offer(9002, "RTX 3090", 1, 24576, 0.2),
  offer(9003, "RTX 4090", 2, 24564, 0.7),
  offer(9004, "A100 SXM4", 1, 81920, 1.1),
  offer(9005, "RTX 4070", 1, 12282, 0.12),
];

export function offer(
  id: number,
  gpuName: string,
  numGpus: number,
  gpuRamMb: number,
  dphBase: number,
): Json {
  return {
    id,
    ask_contract_id: id,
    machine_id: id - 8000,
    host_id: 77,
    gpu_name: gpuName,
    num_gpus: numGpus,
    gpu_ram: gpuRamMb,
    gpu_total_ram: gpuRamMb * numGpus,
    dph_base: dphBase,
    storage_cost: 0.15,
    reliability2: 0.99,
    verification: "verified",
    verified: true,
    external: false,
    rentable: true,
    rented: false,
    disk_space: 500,
    geolocation: "Oslo, NO",
    score: 100 - dphBase,
    dlperf: 50,
  };
}

export class FakeVast {
  readonly requests: RecordedRequest[] = [];
  readonly unmatched: RecordedRequest[] = [];
  readonly instances = new Map<number, FakeInstance>();
  readonly accountKeys: { id: number; key: string }[] = [];
  readonly offers: Json[];
  url = "";
  private server: Server | undefined;
  private faults: Fault[] = [];
  private nextId = 5678;
  private nextKeyId = 1;
  private readonly routes: Route[];

  constructor(readonly options: FakeVastOptions) {
    this.offers = structuredClone(options.offers ?? SAMPLE_OFFERS);
    this.routes = this.buildRoutes();
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.serve(req).then(({ status, text, type }) => {
        res.writeHead(status, { "Content-Type": type });
        res.end(text);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes the next `times` requests matching method and path fail. */
  failNext(
    method: string,
    path: RegExp,
    reply: { status: number; body: string | Json; times?: number },
  ): void {
    const plain = typeof reply.body === "string";
    this.faults.push({
      method,
      path,
      status: reply.status,
      body: plain ? (reply.body as string) : JSON.stringify(reply.body),
      contentType: plain ? "text/plain" : "application/json",
      times: reply.times ?? 1,
    });
  }

  /** Adds an instance of this account and returns it. */
  addInstance(fields: Partial<FakeInstance> = {}): FakeInstance {
    const template = this.offers[0] ?? offer(1, "RTX 4090", 1, 24564, 0.3);
    const instance = this.newInstance(template, 20, "");
    Object.assign(instance, fields);
    this.instances.set(instance.id, instance);
    return instance;
  }

  instance(id: number): FakeInstance {
    const found = this.instances.get(id);
    if (found === undefined) throw new Error(`fake has no instance ${id}`);
    return found;
  }

  /** Requests whose method and path match, e.g. ("PUT", /instances\/5678$/). */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && path.test(r.path),
    );
  }

  private async serve(
    req: IncomingMessage,
  ): Promise<{ status: number; text: string; type: string }> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      query: parseQuery(url),
      body: raw === "" ? undefined : safeJson(raw),
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(record);
    const reply = this.dispatch(record);
    record.status = reply.status;
    return reply;
  }

  private dispatch(record: RecordedRequest): {
    status: number;
    text: string;
    type: string;
  } {
    const fault = this.takeFault(record);
    if (fault !== undefined)
      return {
        status: fault.status,
        text: fault.body,
        type: fault.contentType,
      };
    if (!this.authorized(record)) {
      const status = this.options.authFailureStatus ?? 404;
      const body = {
        success: false,
        error: "auth_error",
        msg: "Invalid user key",
      };
      return json(status, body);
    }
    for (const route of this.routes) {
      const match =
        route.method === record.method && record.path.match(route.pattern);
      if (!match) continue;
      const body = (record.body ?? {}) as Json;
      const reply = route.handle(match, { query: record.query, body });
      return json(reply.status, reply.body);
    }
    this.unmatched.push(record);
    return json(404, {
      success: false,
      error: "not_found",
      msg: `no route ${record.method} ${record.path}`,
    });
  }

  private takeFault(record: RecordedRequest): Fault | undefined {
    const fault = this.faults.find(
      (f) => f.method === record.method && f.path.test(record.path),
    );
    if (fault === undefined) return undefined;
    fault.times--;
    if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  private authorized(record: RecordedRequest): boolean {
    const bearer = `Bearer ${this.options.apiKey}`;
    return (
      record.authorization === bearer ||
      record.query.api_key === this.options.apiKey
    );
  }

  private buildRoutes(): Route[] {
    const id = "(\\d+)";
    const v0 = (rest: string) => new RegExp(`^/api/v0${rest}$`);
    return [
      {
        method: "POST",
        pattern: v0("/bundles"),
        handle: (_m, r) => this.search(r.body),
      },
      {
        method: "PUT",
        pattern: v0("/search/asks"),
        handle: (_m, r) => this.search((r.body.q ?? {}) as Json),
      },
      {
        method: "PUT",
        pattern: v0(`/asks/${id}`),
        handle: (m, r) => this.create(Number(m[1]), r.body),
      },
      {
        method: "GET",
        pattern: /^\/api\/v1\/instances$/,
        handle: (_m, r) => this.listPage(r.query),
      },
      {
        method: "GET",
        pattern: v0("/instances"),
        handle: () => this.listAll(),
      },
      {
        method: "GET",
        pattern: v0(`/instances/${id}`),
        handle: (m) => this.show(Number(m[1])),
      },
      {
        method: "PUT",
        pattern: v0(`/instances/${id}`),
        handle: (m, r) => this.change(Number(m[1]), r.body),
      },
      {
        method: "DELETE",
        pattern: v0(`/instances/${id}`),
        handle: (m) => this.destroy(Number(m[1])),
      },
      {
        method: "PUT",
        pattern: v0(`/instances/reboot/${id}`),
        handle: (m) => this.reboot(Number(m[1])),
      },
      {
        method: "GET",
        pattern: v0(`/instances/${id}/ssh`),
        handle: (m) => this.instanceKeys(Number(m[1])),
      },
      {
        method: "POST",
        pattern: v0(`/instances/${id}/ssh`),
        handle: (m, r) => this.attachKey(Number(m[1]), r.body),
      },
      {
        method: "GET",
        pattern: v0("/ssh"),
        handle: () => ({ status: 200, body: this.accountKeyList() }),
      },
      {
        method: "POST",
        pattern: v0("/ssh"),
        handle: (_m, r) => this.addAccountKey(r.body),
      },
      {
        method: "GET",
        pattern: v0("/users/current"),
        handle: () => this.user(),
      },
    ];
  }

  private search(query: Json): Reply {
    const storageGb = Number(query.allocated_storage ?? 8);
    const priced = this.offers.map((o) => ({
      ...o,
      dph_total: round(
        Number(o.dph_base) +
          (Number(o.storage_cost) * storageGb) / HOURS_PER_MONTH,
      ),
    }));
    const filtered = this.options.ignoreOfferFilters
      ? priced
      : priced.filter((o) => matchesQuery(o, query));
    const ordered = orderOffers(filtered, query.order);
    const limit =
      typeof query.limit === "number" ? query.limit : ordered.length;
    return { status: 200, body: { offers: ordered.slice(0, limit) } };
  }

  private create(offerId: number, body: Json): Reply {
    const found = this.offers.find((o) => o.id === offerId);
    if (found === undefined || found.rented === true)
      return {
        status: 404,
        body: {
          success: false,
          error: "no_such_ask",
          msg: `offer ${offerId} is not available`,
          ask_id: offerId,
        },
      };
    found.rented = true;
    const disk = Number(body.disk ?? 10);
    const instance = this.newInstance(
      found,
      disk,
      String(body.runtype ?? "ssh"),
    );
    Object.assign(instance, {
      actual_status: null,
      intended_status: "running",
      label: body.label ?? "",
      image_uuid: body.image ?? "",
      upcoming: ["loading", "running"],
      keys: this.accountKeys.map((k) => k.key),
    });
    this.instances.set(instance.id, instance);
    this.writeAuthorizedKeys();
    return {
      status: 200,
      body: {
        success: true,
        new_contract: instance.id,
        instance_api_key: "fake-instance-key",
      },
    };
  }

  private newInstance(
    source: Json,
    disk: number,
    runtype: string,
  ): FakeInstance {
    const id = this.nextId++;
    const storageHour = (Number(source.storage_cost) * disk) / HOURS_PER_MONTH;
    return {
      ...structuredClone(source),
      id,
      offer_id: source.id,
      actual_status: "running",
      intended_status: "running",
      cur_state: "running",
      next_state: "running",
      status_msg: "",
      label: "",
      disk_space: disk,
      dph_total: round(Number(source.dph_base) + storageHour),
      image_runtype: runtype,
      image_uuid: "pytorch/pytorch",
      start_date: Date.now() / 1000,
      extra_env: [["TZ", "UTC"]],
      ssh_host: this.options.ssh.host,
      ssh_port: this.options.ssh.port,
      ssh_idx: "1",
      public_ipaddr: this.options.direct?.ip ?? "203.0.113.10",
      upcoming: [],
      keys: [],
    };
  }

  /** Shows an instance as it is now, then moves it one status along. */
  private read(instance: FakeInstance): Json {
    const shown: Json = { ...instance };
    delete shown.upcoming;
    delete shown.readsUntilGone;
    delete shown.keys;
    const direct = this.options.direct;
    const runtype = String(instance.image_runtype ?? "");
    if (
      instance.actual_status === "running" &&
      direct !== undefined &&
      runtype.includes("ssh_direc")
    )
      shown.ports = {
        "22/tcp": [{ HostIp: "0.0.0.0", HostPort: String(direct.port) }],
      };
    const next = instance.upcoming.shift();
    if (next !== undefined) instance.actual_status = next;
    return shown;
  }

  private listPage(query: Record<string, unknown>): Reply {
    const limit = Math.min(
      25,
      Number(query.limit ?? 25) > 0 ? Number(query.limit ?? 25) : 5,
    );
    const after = Number(query.after_token ?? 0);
    const all = [...this.instances.values()]
      .filter((i) => this.stillListed(i))
      .sort((a, b) => a.id - b.id);
    const page = all.filter((i) => i.id > after).slice(0, limit);
    const last = page.at(-1);
    const more = last !== undefined && all.some((i) => i.id > last.id);
    return {
      status: 200,
      body: {
        success: true,
        instances_found: page.length,
        total_instances: all.length,
        next_token: more ? String(last.id) : null,
        instances: page.map((i) => this.read(i)),
      },
    };
  }

  private listAll(): Reply {
    const all = [...this.instances.values()]
      .filter((i) => this.stillListed(i))
      .map((i) => this.read(i));
    return {
      status: 200,
      body: { instances: all, instances_found: all.length },
    };
  }

  private show(id: number): Reply {
    const instance = this.instances.get(id);
    const listed = instance !== undefined && this.stillListed(instance);
    return {
      status: 200,
      body: { instances: listed ? this.read(instance) : null },
    };
  }

  /** Counts down a lagging destroy: false (and removed) once its reads are used up. */
  private stillListed(instance: FakeInstance): boolean {
    if (instance.readsUntilGone === undefined) return true;
    if (instance.readsUntilGone > 0) {
      instance.readsUntilGone--;
      return true;
    }
    this.instances.delete(instance.id);
    const source = this.offers.find((o) => o.id === instance.offer_id);
    if (source !== undefined) source.rented = false;
    return false;
  }

  private change(id: number, body: Json): Reply {
    const instance = this.instances.get(id);
    if (instance === undefined)
      return {
        status: 404,
        body: {
          success: false,
          error: "no_such_instance",
          msg: `Instance ${id} not found.`,
        },
      };
    if (typeof body.label === "string") instance.label = body.label;
    const lag = this.options.lagReads ?? 0;
    if (body.state === "stopped" && lag > 0) {
      const running: (string | null)[] = Array(lag - 1).fill("running");
      Object.assign(instance, {
        intended_status: "stopped",
        cur_state: "stopped",
        upcoming: [...running, "stopped"],
      });
    } else if (body.state === "stopped") {
      Object.assign(instance, {
        intended_status: "stopped",
        actual_status: "stopped",
        cur_state: "stopped",
        upcoming: [],
      });
    } else if (
      body.state === "running" &&
      instance.actual_status !== "running"
    ) {
      const [first, ...rest] = this.options.startSequence ?? [
        "stopped",
        "loading",
        "running",
      ];
      Object.assign(instance, {
        intended_status: "running",
        actual_status: first ?? "running",
        cur_state: "running",
        upcoming: rest,
      });
    }
    return { status: 200, body: { success: true } };
  }

  private destroy(id: number): Reply {
    const instance = this.instances.get(id);
    if (instance === undefined)
      return {
        status: 404,
        body: {
          success: false,
          error: "no_such_instance",
          msg: `Instance ${id} not found.`,
        },
      };
    const lag = this.options.lagReads ?? 0;
    if (lag > 0) {
      instance.readsUntilGone ??= lag;
      return { status: 200, body: { success: true } };
    }
    this.instances.delete(id);
    const source = this.offers.find((o) => o.id === instance.offer_id);
    if (source !== undefined) source.rented = false;
    return { status: 200, body: { success: true } };
  }

  private reboot(id: number): Reply {
    const instance = this.instances.get(id);
    if (instance === undefined)
      return {
        status: 404,
        body: {
          success: false,
          error: "no_such_instance",
          msg: `Instance ${id} not found.`,
        },
      };
    Object.assign(instance, {
      actual_status: "rebooting",
      upcoming: ["running"],
    });
    return { status: 200, body: { success: true } };
  }

  private instanceKeys(id: number): Reply {
    const instance = this.instances.get(id);
    if (instance === undefined)
      return {
        status: 404,
        body: {
          success: false,
          error: "no_such_instance",
          msg: `Instance ${id} not found.`,
        },
      };
    const keys = instance.keys.map((key, index) => ({
      id: index + 1,
      ssh_key: key,
    }));
    // The service sends this list as JSON text inside the JSON reply.
    return {
      status: 200,
      body: { success: true, ssh_keys: JSON.stringify(keys) },
    };
  }

  private attachKey(id: number, body: Json): Reply {
    const instance = this.instances.get(id);
    if (instance === undefined)
      return {
        status: 404,
        body: {
          success: false,
          error: "no_such_instance",
          msg: `Instance ${id} not found.`,
        },
      };
    const key = String(body.ssh_key ?? "").trim();
    if (!key.startsWith("ssh-"))
      return {
        status: 400,
        body: {
          success: false,
          error: "invalid_args",
          msg: "ssh_key is not a public key",
        },
      };
    instance.keys.push(key);
    this.writeAuthorizedKeys();
    return {
      status: 200,
      body: {
        success: true,
        msg: "SSH key added to instance.",
        key: JSON.stringify({ id: instance.keys.length, ssh_key: key }),
      },
    };
  }

  private accountKeyList(): Json[] {
    return this.accountKeys.map((k) => ({
      id: k.id,
      user_id: 1,
      key: k.key,
      created_at: "2026-01-01",
      deleted_at: null,
    }));
  }

  private addAccountKey(body: Json): Reply {
    const key = String(body.ssh_key ?? "").trim();
    if (!key.startsWith("ssh-"))
      return {
        status: 400,
        body: {
          success: false,
          error: "invalid_args",
          msg: "ssh_key is not a public key",
        },
      };
    const entry = { id: this.nextKeyId++, key };
    this.accountKeys.push(entry);
    for (const instance of this.instances.values()) instance.keys.push(key);
    this.writeAuthorizedKeys();
    return {
      status: 200,
      body: {
        success: true,
        key: {
          id: entry.id,
          user_id: 1,
          public_key: key,
          created_at: "2026-01-01",
          deleted_at: null,
        },
      },
    };
  }

  private user(): Reply {
    return {
      status: 200,
      body: {
        id: 1,
        username: "tester",
        credit: 25,
        balance: 0,
        api_key: this.options.apiKey,
      },
    };
  }

  private writeAuthorizedKeys(): void {
    const path = this.options.authorizedKeysPath;
    if (path === undefined) return;
    const keys = new Set<string>();
    for (const instance of this.instances.values())
      for (const key of instance.keys) keys.add(key);
    writeFileSync(path, [...keys].map((k) => `${k}\n`).join(""));
  }
}

function json(status: number, body: unknown) {
  // Exactly application/json: the service's own CLI rejects a charset suffix.
  return { status, text: JSON.stringify(body), type: "application/json" };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => resolve(text));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Query values arrive as JSON text when they are not plain strings.
function parseQuery(url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, value] of url.searchParams) query[name] = safeJson(value);
  return query;
}

const NOT_FILTERS = new Set([
  "order",
  "type",
  "limit",
  "allocated_storage",
  "disable_bundling",
]);

function matchesQuery(item: Json, query: Json): boolean {
  for (const [field, condition] of Object.entries(query)) {
    if (
      NOT_FILTERS.has(field) ||
      typeof condition !== "object" ||
      condition === null
    )
      continue;
    for (const [op, expected] of Object.entries(condition as Json)) {
      if (!compare(item[field], op, expected)) return false;
    }
  }
  return true;
}

// The service compares numeric strings as numbers, so both sides are coerced.
function compare(actual: unknown, op: string, expected: unknown): boolean {
  const a = coerce(actual);
  const list = Array.isArray(expected) ? expected.map(coerce) : [];
  const e = coerce(expected);
  switch (op) {
    case "eq":
      return a === e;
    case "neq":
      return a !== e;
    case "gt":
      return typeof a === "number" && typeof e === "number" && a > e;
    case "gte":
      return typeof a === "number" && typeof e === "number" && a >= e;
    case "lt":
      return typeof a === "number" && typeof e === "number" && a < e;
    case "lte":
      return typeof a === "number" && typeof e === "number" && a <= e;
    case "in":
      return list.includes(a);
    case "notin":
      return !list.includes(a);
    default:
      return true;
  }
}

function coerce(value: unknown): unknown {
  if (
    typeof value === "string" &&
    value.trim() !== "" &&
    Number.isFinite(Number(value))
  )
    return Number(value);
  return value;
}

function orderOffers(offers: Json[], order: unknown): Json[] {
  if (!Array.isArray(order)) return offers;
  const sorted = [...offers];
  const keys = order as [string, string][];
  sorted.sort((x, y) => {
    for (const [field, dir] of keys) {
      const diff = Number(x[field] ?? 0) - Number(y[field] ?? 0);
      if (diff !== 0) return dir === "desc" ? -diff : diff;
    }
    return 0;
  });
  return sorted;
}
