/**
 * The host side of Office.js's RichApi protocol, over the in-memory workbook.
 *
 * Microsoft's client library (officejs.ts) turns the add-in's calls into one request per `context.sync()`:
 * `ObjectPaths` (how to reach each object: the global object, a property, a method, an indexer, a reference
 * id) and `Actions` in order (1 instantiate a path, 2 query properties, 3 call a method, 4 set a property,
 * 5 trace). The executor answers with `{ HttpStatusCode: 200, Body: { Results: [{ ActionId, Value }] } }`,
 * the shapes the library's `_handleResult` code reads: PascalCase properties (`Values`, `RowIndex`),
 * `_Items` for a collection, `_Id` for an item (the library then re-addresses it by id), `_ReferenceId` for an
 * object a method created, `null` for a null object. A failing action stops the request: the results
 * before it stand (Excel does not roll back) and `Body.Error` carries Office's code, message and the
 * action's index, which the library turns into its own `RichApi.Error`.
 *
 * The objects and members the host answers for are declared in a type table (types-core.ts,
 * types-report.ts). A member that is not declared fails the request with `SimNotModelled`, so a new
 * Office.js call in the add-in cannot slip past the host.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { SimError, SimErrorCode } from './errors';

/** A call's arguments; an argument that is an object of the request names its path in ReferencedObjectPathIds. */
export interface ArgumentInfo {
  Arguments?: unknown[];
  ReferencedObjectPathIds?: (number | null)[];
}

export interface ObjectPathInfo {
  Id: number;
  ObjectPathType: number;
  Name: string;
  ParentObjectPathId?: number;
  ArgumentInfo?: ArgumentInfo;
}

export interface ActionInfo {
  Id: number;
  ActionType: number;
  Name: string;
  ObjectPathId: number;
  ArgumentInfo?: ArgumentInfo;
  QueryInfo?: { Select?: string[]; Expand?: string[]; Skip?: number; Top?: number; Filter?: unknown };
}

export interface RequestBody {
  Actions: ActionInfo[];
  ObjectPaths: Record<string, ObjectPathInfo>;
  AutoKeepReference?: boolean;
  PreviewExecutionActions?: unknown[];
}

export interface RequestMessage {
  Url: string;
  Headers: Record<string, string>;
  Body: RequestBody;
}

export interface ResponseMessage {
  HttpStatusCode: number;
  Body: {
    Results: { ActionId: number; Value: unknown }[];
    TraceIds?: number[];
    Error?: { Code: string; Message: string; Location?: string; ActionIndex: number; HttpStatusCode: number };
  };
}

/** The request flags the host understands (as the library sets them). */
export const FLAG_DELAY_FOR_CELL_EDIT = 64;

/** An object of the host: its type (a key of the type table) and what it stands for; null for a null object. */
export interface Handle {
  readonly type: string;
  readonly target: any;
}

/** What one member does to the workbook: reads, changes only the view / registrations, or writes. */
export type Effect = 'read' | 'ui' | 'write';

/**
 * Undo support of a member that writes (Excel's "Unsupported APIs" table of the undo page): `none` has none
 * anywhere, `web` none in Excel on the web.
 */
export type UndoSupport = 'full' | 'none' | 'web';

export interface PropDef {
  get?: (t: any, c: Call) => unknown;
  set?: (t: any, v: any, c: Call) => void;
  /** Of the setter (default `write`). */
  effect?: Effect;
  undo?: UndoSupport;
}

export interface MethodDef {
  run: (t: any, args: any[], c: Call) => unknown;
  /** Default `write`. */
  effect?: Effect;
  undo?: UndoSupport;
  /** The method creates the object it returns (the library addresses it by `_ReferenceId` afterwards). */
  creates?: boolean;
}

export interface TypeDef {
  /** Scalar properties by their JavaScript name (`rowIndex`); sent back PascalCase. */
  props?: Record<string, PropDef>;
  /** Navigation properties: another object. */
  navs?: Record<string, (t: any, c: Call) => Handle>;
  /** Methods by their JavaScript name (`getRange`); returning a Handle when the library made it an object path. */
  methods?: Record<string, MethodDef>;
  /** `collection.getItem(key)` as an indexer path. */
  indexer?: (t: any, key: any, c: Call) => Handle;
  /** A collection's items. */
  items?: (t: any, c: Call) => Handle[];
  /** The id the library may re-address an item by (`Id` in results). */
  idOf?: (t: any) => string;
  /** What `load()` without names returns. */
  defaults?: string[];
}

/** One request being executed: what the type table's members get to report what they did. */
export interface Call {
  /** Notes a change of cells (change events after the sync). */
  changed(sheet: unknown, area: unknown): void;
  /** The name of the member being executed (`Range.values`), for errors. */
  readonly member: string;
  /** The member also runs `api` (an argument such as a name's comment), which has `support` for undo. */
  alsoRuns(api: string, support: UndoSupport): void;
}

/** What the executor reports to its host after each request. */
export interface RequestStats {
  request: number;
  response: number;
  ops: number;
  /** Actions that changed the workbook. */
  writes: number;
  flags: number;
  /** Members without undo support that this request executed (`Worksheet.delete`). */
  notUndoable: string[];
  /** Members that read or registered and that the host is told lose undo (office-js #5918, #2543). */
  undoLosingReads: string[];
  /**
   * The request is the library's own clean-up at the end of an Excel.run (`_RemoveReference` of the Ranges
   * the run tracked), not a `context.sync()` of the add-in's.
   */
  cleanup: boolean;
}

export interface ProtocolHost {
  readonly types: Record<string, TypeDef>;
  /** The global object (`context.workbook`). */
  root(): Handle;
  /** Null when no request may run now, else a reason (cell-edit mode) — may wait when `flags` allow. */
  beforeRequest(flags: number, bytes: number): Promise<SimError | null>;
  /** Checks a member about to run (undo grouping, undo-losing reads); throws to fail the action. */
  beforeMember(member: string, effect: Effect, undo: UndoSupport, stats: RequestStats): void;
  afterRequest(stats: RequestStats, changes: { sheet: unknown; area: unknown }[]): void;
  /** Response too large (or null). */
  responseLimit(): number | null;
  /** A failure a test injected into this request: after how many of its actions, and with what; or null. */
  injectedFailure?(): { afterOps: number; code: SimErrorCode } | null;
  error(code: SimErrorCode, location?: string): SimError;
}

const encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
export function jsonBytes(v: unknown): number {
  const s = JSON.stringify(v) ?? '';
  return encoder ? encoder.encode(s).length : s.length;
}

const pascal = (s: string) => (s.startsWith('_') ? s : s.charAt(0).toUpperCase() + s.slice(1));
const camel = (s: string) => (s.startsWith('_') ? s : s.charAt(0).toLowerCase() + s.slice(1));

function notModelled(what: string): SimError {
  return new SimError('SimNotModelled', `The in-memory Excel host does not model ${what}: add it to the type table (src/excel-sim/types-*.ts).`);
}

/** The executor the library's request context sends its requests to. */
export class RequestExecutor {
  /** Objects created by methods, by the reference id the library now addresses them with. */
  private readonly refs = new Map<string, Handle>();
  private refSeq = 0;

  constructor(private readonly host: ProtocolHost) {}

  async executeAsync(_customData: unknown, flags: number, message: RequestMessage): Promise<ResponseMessage> {
    const body = message.Body;
    const request = jsonBytes(body);
    const results: { ActionId: number; Value: unknown }[] = [];
    const traceIds: number[] = [];
    const cleanup = body.Actions.every((a) => a.ActionType === 1 || (a.ActionType === 3 && a.Name === '_RemoveReference'));
    const stats: RequestStats = { request, response: 0, ops: body.Actions.length, writes: 0, flags, notUndoable: [], undoLosingReads: [], cleanup };
    const changes: { sheet: unknown; area: unknown }[] = [];
    const refused = await this.host.beforeRequest(flags, request);
    let failure: { error: SimError; index: number } | null = refused ? { error: refused, index: -1 } : null;
    // An injected failure counts the add-in's syncs, not the library's clean-up.
    const injected = !failure && !cleanup ? (this.host.injectedFailure?.() ?? null) : null;
    const failAt = injected ? injected.afterOps : null;
    if (!failure) {
      const resolved = new Map<number, Handle>();
      for (let i = 0; i < body.Actions.length; i++) {
        const action = body.Actions[i];
        if (i === failAt) {
          failure = { error: this.host.error(injected!.code), index: i };
          break;
        }
        try {
          const value = this.runAction(action, body, resolved, stats, changes);
          if (action.ActionType === 5) traceIds.push(action.Id);
          results.push({ ActionId: action.Id, Value: value });
        } catch (e) {
          // Anything but an Office error is a bug of the host: it fails the request with its stack.
          failure = { error: e instanceof SimError ? e : new SimError('SimNotModelled', `Host error: ${(e as Error)?.stack ?? String(e)}`), index: i };
          break;
        }
      }
    }
    if (!failure && injected) failure = { error: this.host.error(injected.code), index: -1 };
    let response: ResponseMessage = { HttpStatusCode: 200, Body: { Results: results, TraceIds: traceIds } };
    stats.response = jsonBytes(response.Body);
    const limit = this.host.responseLimit();
    if (!failure && limit !== null && stats.response > limit) {
      failure = { error: this.host.error('ResponsePayloadSizeLimitExceeded'), index: -1 };
      response = { HttpStatusCode: 200, Body: { Results: [] } };
    }
    if (failure) {
      const e = failure.error;
      response.Body.Error = {
        Code: e.code,
        Message: e.message,
        Location: e.debugInfo.errorLocation,
        ActionIndex: failure.index,
        HttpStatusCode: e.code === 'ItemNotFound' ? 404 : 400,
      };
    }
    this.host.afterRequest(stats, changes);
    // A copy, as if it had crossed the wire: the add-in gets nothing of the host's own objects.
    return JSON.parse(JSON.stringify(response)) as ResponseMessage;
  }

  private typeOf(h: Handle): TypeDef {
    const t = this.host.types[h.type];
    if (!t) throw notModelled(`the type ${h.type}`);
    return t;
  }

  private call(member: string, changes: { sheet: unknown; area: unknown }[], stats?: RequestStats): Call {
    return {
      member,
      changed: (sheet, area) => changes.push({ sheet, area }),
      alsoRuns: (api, support) => {
        if (!stats) throw notModelled(`${api} inside a read`);
        this.host.beforeMember(api, 'write', support, stats);
        if (support !== 'full') stats.notUndoable.push(api);
      },
    };
  }

  private resolve(id: number, body: RequestBody, resolved: Map<number, Handle>, stats: RequestStats, changes: { sheet: unknown; area: unknown }[]): Handle {
    const hit = resolved.get(id);
    if (hit) return hit;
    const p = body.ObjectPaths[String(id)];
    if (!p) throw new SimError('InvalidObjectPath', `Object path ${id} is not in the request.`);
    let h: Handle;
    const args = this.args(p.ArgumentInfo, body, resolved, stats, changes);
    switch (p.ObjectPathType) {
      case 1: // global object
        h = this.host.root();
        break;
      case 6: {
        // reference id
        const r = this.refs.get(p.Name);
        if (!r) throw new SimError('InvalidObjectPath', `Unknown reference id ${p.Name}.`);
        h = r;
        break;
      }
      case 3:
      case 4:
      case 5: {
        const parent = this.resolve(p.ParentObjectPathId ?? -1, body, resolved, stats, changes);
        h = this.child(parent, p, args, stats, changes);
        break;
      }
      default:
        throw notModelled(`object paths of type ${p.ObjectPathType}`);
    }
    resolved.set(id, h);
    return h;
  }

  /** The arguments, with an object argument as the Handle its path resolves to. */
  private args(info: ArgumentInfo | undefined, body: RequestBody, resolved: Map<number, Handle>, stats: RequestStats, changes: { sheet: unknown; area: unknown }[]): unknown[] {
    const list = info?.Arguments ?? [];
    const refs = info?.ReferencedObjectPathIds;
    if (!refs) return list;
    return list.map((a, i) => (typeof refs[i] === 'number' ? this.resolve(refs[i] as number, body, resolved, stats, changes) : a));
  }

  private nullObject(parent: Handle, member: string): SimError {
    return new SimError('InvalidOperation', `The object is a null object (${parent.type}.${member}).`);
  }

  private child(parent: Handle, p: ObjectPathInfo, args: unknown[], stats: RequestStats, changes: { sheet: unknown; area: unknown }[]): Handle {
    const t = this.typeOf(parent);
    const name = camel(p.Name);
    if (p.ObjectPathType === 5) {
      if (!t.indexer) throw notModelled(`${parent.type}.getItem (indexer)`);
      if (parent.target === null) throw this.nullObject(parent, 'getItem');
      return t.indexer(parent.target, args[0], this.call(`${parent.type}.getItem`, changes));
    }
    if (p.ObjectPathType === 4) {
      const nav = t.navs?.[name];
      if (!nav) throw notModelled(`${parent.type}.${name}`);
      if (parent.target === null) return { type: this.navType(parent, name), target: null };
      return nav(parent.target, this.call(`${parent.type}.${name}`, changes));
    }
    // 3: a method returning an object
    if (name === 'getItemAt' && t.items) {
      if (parent.target === null) throw this.nullObject(parent, name);
      const items = t.items(parent.target, this.call(`${parent.type}.getItemAt`, changes));
      const it = items[Number(args[0])];
      if (!it) throw new SimError('ItemNotFound', `No item at index ${String(args[0])} of ${parent.type}.`);
      return it;
    }
    const m = t.methods?.[name];
    if (!m) throw notModelled(`${parent.type}.${name}()`);
    const member = `${parent.type}.${name}`;
    const effect = m.effect ?? 'write';
    if (parent.target === null) {
      if (name.endsWith('OrNullObject')) return { type: this.methodType(parent, name), target: null };
      throw this.nullObject(parent, name);
    }
    this.host.beforeMember(member, effect, m.undo ?? 'full', stats);
    this.count(member, effect, m.undo ?? 'full', stats);
    const out = m.run(parent.target, args, this.call(member, changes, stats)) as Handle | undefined;
    if (!out || typeof out.type !== 'string') throw notModelled(`the object ${member}() returns`);
    if (m.creates) this.keep(out);
    return out;
  }

  private keep(h: Handle): void {
    if (this.created.has(h)) return;
    const ref = `sim-ref-${++this.refSeq}`;
    this.refs.set(ref, h);
    this.created.set(h, ref);
  }

  /** Reference ids of created and kept objects, sent back when their path is instantiated. */
  private readonly created = new WeakMap<Handle, string>();

  /** The type of a navigation on a null object (so that loads on it answer null, as Office does). */
  private navType(parent: Handle, name: string): string {
    return `${parent.type}.${name}`;
  }

  private methodType(parent: Handle, name: string): string {
    return `${parent.type}.${name}()`;
  }

  private count(member: string, effect: Effect, undo: UndoSupport, stats: RequestStats): void {
    if (effect === 'write') {
      stats.writes++;
      if (undo !== 'full') stats.notUndoable.push(member);
    }
  }

  private runAction(action: ActionInfo, body: RequestBody, resolved: Map<number, Handle>, stats: RequestStats, changes: { sheet: unknown; area: unknown }[]): unknown {
    switch (action.ActionType) {
      case 1: {
        // instantiate
        const h = this.resolve(action.ObjectPathId, body, resolved, stats, changes);
        if (h.target === null) return null;
        const ref = this.created.get(h);
        if (ref) return { _ReferenceId: ref };
        const id = this.host.types[h.type]?.idOf?.(h.target);
        return id === undefined ? {} : { _Id: id };
      }
      case 2: {
        const h = this.resolve(action.ObjectPathId, body, resolved, stats, changes);
        return this.query(h, action.QueryInfo?.Select, action.QueryInfo?.Expand, changes);
      }
      case 3: {
        const h = this.resolve(action.ObjectPathId, body, resolved, stats, changes);
        const name = camel(action.Name);
        if (name === '_RemoveReference') {
          // The library's clean-up at the end of Excel.run: the references it kept are released.
          for (const ref of action.ArgumentInfo?.Arguments ?? []) this.refs.delete(String(ref));
          return null;
        }
        if (name === '_KeepReference') {
          // Excel.run tracks the object (a Range): Excel keeps a reference and the library addresses the
          // object by it from the next instantiation on, so that it outlives this request.
          this.keep(h);
          return null;
        }
        const t = this.typeOf(h);
        const m = t.methods?.[name];
        if (!m) throw notModelled(`${h.type}.${name}()`);
        if (h.target === null) throw this.nullObject(h, name);
        const member = `${h.type}.${name}`;
        const effect = m.effect ?? 'write';
        this.host.beforeMember(member, effect, m.undo ?? 'full', stats);
        this.count(member, effect, m.undo ?? 'full', stats);
        const out = m.run(h.target, this.args(action.ArgumentInfo, body, resolved, stats, changes), this.call(member, changes, stats));
        return out === undefined ? null : out;
      }
      case 4: {
        const h = this.resolve(action.ObjectPathId, body, resolved, stats, changes);
        const name = camel(action.Name);
        const t = this.typeOf(h);
        const prop = t.props?.[name];
        if (!prop || !prop.set) throw notModelled(`setting ${h.type}.${name}`);
        if (h.target === null) throw this.nullObject(h, name);
        const member = `${h.type}.${name}`;
        const effect = prop.effect ?? 'write';
        this.host.beforeMember(member, effect, prop.undo ?? 'full', stats);
        this.count(member, effect, prop.undo ?? 'full', stats);
        prop.set(h.target, (action.ArgumentInfo?.Arguments ?? [])[0], this.call(member, changes, stats));
        return null;
      }
      case 5: // trace (event handler registration markers)
        return null;
      default:
        throw notModelled(`actions of type ${action.ActionType} (${action.Name})`);
    }
  }

  /** A query's value: the selected scalars PascalCase, navigations nested, a collection as `_Items`. */
  private query(h: Handle, select: string[] | undefined, expand: string[] | undefined, changes: { sheet: unknown; area: unknown }[]): unknown {
    if (h.target === null) return null;
    const t = this.typeOf(h);
    if (t.items) {
      const out: Record<string, unknown> = {};
      out._Items = t.items(h.target, this.call(`${h.type}.items`, changes)).map((it) => this.queryObject(it, select, expand, changes));
      return out;
    }
    return this.queryObject(h, select, expand, changes);
  }

  private queryObject(h: Handle, select: string[] | undefined, expand: string[] | undefined, changes: { sheet: unknown; area: unknown }[]): unknown {
    if (h.target === null) return null;
    const t = this.typeOf(h);
    const names = select && select.length ? select : (t.defaults ?? Object.keys(t.props ?? {}));
    const out: Record<string, unknown> = {};
    const nested = new Map<string, string[]>();
    for (const raw of [...names, ...(expand ?? [])]) {
      const [head, ...rest] = raw.split('/').map((s) => s.trim());
      if (!head || head === 'isNullObject') continue;
      if (t.navs?.[head] || rest.length) {
        const list = nested.get(head) ?? [];
        if (rest.length) list.push(rest.join('/'));
        nested.set(head, list);
        continue;
      }
      const prop = t.props?.[head];
      if (!prop || !prop.get) throw notModelled(`loading ${h.type}.${head}`);
      out[pascal(head)] = prop.get(h.target, this.call(`${h.type}.${head}`, changes));
    }
    // The private id lets the library address an item by it (getItem(id)) without loading `id`.
    const id = t.idOf?.(h.target);
    if (id !== undefined) out._Id = id;
    for (const [head, rest] of nested) {
      const nav = t.navs?.[head];
      if (!nav) throw notModelled(`loading ${h.type}.${head}`);
      const child = nav(h.target, this.call(`${h.type}.${head}`, changes));
      out[pascal(head)] = this.query(child, rest.length ? rest : undefined, undefined, changes);
    }
    return out;
  }
}
