/**
 * Call counting for the WPS object model. In WPS every property read, property write and method call on an
 * object of the model crosses into the WPS process; the host hands out every object through `counted`, a
 * Proxy that counts each such access, so nothing in the host can forget to count.
 *
 * The members of WPS's object model are PascalCase (`Value2`, `Item`, `Address`); the host's own fields and
 * helpers are camelCase and are not part of the model: through a counted view they read as undefined and
 * cannot be written, and only PascalCase keys are counted.
 */
import { wpsError } from './errors';

export interface CallCounter {
  countCall(member: string): void;
}

const targets = new WeakMap<object, object>();

const PASCAL = /^[A-Z]/;
const ANY = /^[A-Za-z]/;

/**
 * A counting view of `target`, logged as `typeName.Member`. Writing a member the object does not have (or a
 * read-only one) throws, so a misspelt write fails the test instead of vanishing. `allKeys` is for the few
 * WPS objects whose members are camelCase (PluginStorage.getItem).
 */
export function counted<T extends object>(counter: CallCounter, target: T, typeName: string, allKeys = false): T {
  const pattern = allKeys ? ANY : PASCAL;
  const isMember = (key: string | symbol): key is string => typeof key === 'string' && pattern.test(key);
  const proxy = new Proxy(target, {
    get(t, key) {
      // The host's own fields (camelCase) are not WPS's: hidden, so that code written against the sim
      // cannot lean on something WPS does not have. Symbols (iteration, inspection) pass through.
      if (typeof key === 'symbol') return Reflect.get(t, key, t);
      if (!isMember(key)) return undefined;
      const desc = findDescriptor(t, key);
      const member = `${typeName}.${key}`;
      if (!desc) {
        // A member this host does not have reads as undefined, as a missing property of WPS's JavaScript
        // objects does (the adapter tests optional members such as DisplayAlerts that way); it still crossed.
        counter.countCall(member);
        return undefined;
      }
      if (desc.get) {
        // Counted before the read runs: a read that fails has crossed into WPS all the same.
        counter.countCall(member);
        return desc.get.call(t) as unknown;
      }
      const value: unknown = desc.value;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          counter.countCall(member);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      }
      counter.countCall(member);
      return value;
    },
    set(t, key, value) {
      if (!isMember(key)) throw wpsError('readOnly', 438, `${typeName}.${String(key)}`);
      counter.countCall(`${typeName}.${key}`);
      const desc = findDescriptor(t, key);
      if (!desc || (!desc.set && !desc.writable)) throw wpsError('readOnly', 438, `${typeName}.${key}`);
      return Reflect.set(t, key, value, t);
    },
  });
  targets.set(proxy, target);
  return proxy;
}

/** The host object behind a counted view (or the object itself), without counting. */
export function unwrap<T>(obj: T): T {
  if (obj && typeof obj === 'object') return (targets.get(obj as object) as T | undefined) ?? obj;
  return obj;
}

function findDescriptor(obj: object, key: string): PropertyDescriptor | undefined {
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}
