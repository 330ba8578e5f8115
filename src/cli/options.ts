/** Small argument parsing shared by `perfsheet new`, `convert` and `check --summary`. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/**
 * Splits argv into positional arguments, options with a value (`--rows 8`, `--rows=8`, `-o out.xlsx`) and flags.
 * `valued` lists the options that take a value (with aliases mapped to their long name), `flags` those that do not.
 */
export function splitArgs(argv: readonly string[], valued: Record<string, string>, flags: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (key in valued) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('-') && v.length > 1)) throw new UsageError(`${key} 需要一个参数。`);
      out.values.set(valued[key], v);
    } else if (flags.includes(a)) out.flags.add(a);
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`未知选项：${a}`);
    else out.positional.push(a);
  }
  return out;
}

export function profileOption(v: string | undefined): 'central' | 'hebei' {
  if (v === undefined) return 'central';
  if (v === 'central' || v === 'hebei') return v;
  throw new UsageError('--profile 只能是 central 或 hebei。');
}

/** `--jobs N`: how many worker threads check the files (absent: one per core). */
export function jobsOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError('--jobs 须是 1 到 256 之间的整数。');
  return n;
}
