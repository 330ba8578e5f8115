/**
 * Counting WPS calls. Every property read, property write and method call on a WPS object crosses into the
 * WPS process; the adapter hands its code a counting view of `Application` so that each operation knows how
 * many calls it made (`WpsSession.lastCalls`), which tests hold to a budget.
 *
 * The view is a Proxy around each host object reached from `Application`: reading a property counts one
 * call (and wraps the object it returns), writing one counts one, and calling a method counts one (the
 * method runs on the real object, so host methods that need their own `this` keep working). Data — numbers,
 * strings, and the arrays `Value2`/`Formula` return — is handed back as it is.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface CallCounter {
  calls: number;
}

const RAW = Symbol('perfsheet.raw');

/** Members whose value is data (values, formulas, formats, texts): handed back as they are, never wrapped. */
const DATA_MEMBERS = new Set(['Value2', 'Value', 'Formula', 'FormulaLocal', 'NumberFormat', 'NumberFormatLocal', 'Text', 'Address', 'RefersTo', 'Name']);

/** The counting view of a host object (the object itself for data). */
export function counted<T>(target: T, counter: CallCounter): T {
  return wrap(target, counter) as T;
}

/** The host object behind a counting view (to hand it back to the host, e.g. as `Find`'s `After`). */
export function raw<T>(x: T): T {
  return x && typeof x === 'object' && (x as any)[RAW] ? (x as any)[RAW] : x;
}

function wrap(value: unknown, counter: CallCounter): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if ((value as any)[RAW]) return value;
  return new Proxy(value as object, {
    get(target, prop, receiver) {
      if (prop === RAW) return target;
      if (typeof prop === 'symbol' || prop === 'then') return Reflect.get(target, prop, receiver);
      const v = Reflect.get(target, prop, target);
      if (typeof v === 'function') {
        return (...args: unknown[]) => {
          counter.calls++;
          return wrap(
            v.apply(
              target,
              args.map((a) => raw(a)),
            ),
            counter,
          );
        };
      }
      counter.calls++;
      return DATA_MEMBERS.has(prop) ? v : wrap(v, counter);
    },
    set(target, prop, v) {
      counter.calls++;
      return Reflect.set(target, prop, raw(v), target);
    },
  });
}
