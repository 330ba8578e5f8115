/**
 * The host's answers for the core of the Excel JavaScript API that the add-in uses (src/excel/read.ts,
 * marks.ts, session.ts): worksheets, ranges and their cells, used ranges, merged areas, formula cells,
 * search, conditional formats, protection, settings, defined names, activation and selection, and the
 * worksheet-changed and selection-changed event registrations.
 *
 * Each entry says what an Office member does to the in-memory workbook; the client side (proxies,
 * batching, PropertyNotLoaded) is Microsoft's library. The conventions of cell values (empty cells read
 * as "", text starting with "=" written through `values` becomes a formula …) live in model.ts.
 */
import { Area, areaA1 } from '../domain/grid';
import { parseSheetAddress, sheetAddress, splitAddressList } from '../excel/address';
import { officeError, SimError, SimLocale } from './errors';
import type { SheetModel, SimConditionalFormat, WorkbookModel } from './model';
import type { Call, Handle, TypeDef } from './protocol';

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;
/** Office refuses to return more than this many merged areas from one getMergedAreasOrNullObject call. */
export const MERGED_AREAS_LIMIT = 512;

/** What the type table needs from its host. */
export interface HostEnv {
  readonly model: WorkbookModel;
  readonly locale: SimLocale;
  /** The selection or the active sheet changed (views re-render). */
  onSelection(): void;
  /** An add-in registered (+1) or removed (-1) its handler of `event`. */
  onRegistration(event: 'changed' | 'selectionChanged' | 'activated', delta: 1 | -1): void;
}

export interface RangeTarget {
  sheet: SheetModel;
  area: Area;
}

export interface AreasTarget {
  sheet: SheetModel;
  areas: Area[];
}

export interface CfTarget {
  sheet: SheetModel;
  cf: SimConditionalFormat;
}

const h = (type: string, target: unknown): Handle => ({ type, target });

export function invalidArgument(what: string): SimError {
  return new SimError('InvalidArgument', `The argument is invalid or missing or has an incorrect format (${what}).`);
}

function guardProtected(env: HostEnv, sheet: SheetModel): void {
  if (env.model.protectedSheets.has(sheet.id)) throw officeError('AccessDenied', env.locale);
}

function rangeOn(sheet: SheetModel, address: string | null | undefined): RangeTarget {
  if (address === undefined || address === null || address === '') {
    return { sheet, area: { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 } };
  }
  const p = parseSheetAddress(address);
  if (!p) throw invalidArgument(`address '${address}'`);
  return { sheet, area: p.area };
}

function grid<T>(t: RangeTarget, f: (r: number, c: number) => T): T[][] {
  if ((t.area.r1 - t.area.r0 + 1) * (t.area.c1 - t.area.c0 + 1) > 5_000_000) {
    throw new SimError('ResponsePayloadSizeLimitExceeded', 'The response payload size has exceeded the limit.');
  }
  const out: T[][] = [];
  for (let r = t.area.r0; r <= t.area.r1; r++) {
    const row: T[] = [];
    for (let c = t.area.c0; c <= t.area.c1; c++) row.push(f(r, c));
    out.push(row);
  }
  return out;
}

/** Writes a 2-D array (or one value for every cell) into a range, as `range.values = …` does. */
function writeCells(
  env: HostEnv,
  t: RangeTarget,
  v: unknown,
  write: (s: SheetModel, r: number, c: number, x: unknown, area: Area) => void,
  c: Call,
  isDataChange = true,
): void {
  guardProtected(env, t.sheet);
  const rows = t.area.r1 - t.area.r0 + 1;
  const cols = t.area.c1 - t.area.c0 + 1;
  const scalar = !Array.isArray(v);
  if (!scalar) {
    const arr = v as unknown[][];
    if (arr.length !== rows || arr.some((row) => !Array.isArray(row) || row.length !== cols)) {
      throw new SimError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range.`);
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) {
      write(t.sheet, t.area.r0 + r, t.area.c0 + col, scalar ? v : (v as unknown[][])[r][col], t.area);
    }
  }
  if (isDataChange) c.changed(t.sheet, t.area);
}

function mergedAreas(env: HostEnv, t: RangeTarget): Handle {
  // Office returns only the merged areas whose top-left cell lies inside the queried range …
  const areas = env.model
    .merges(t.sheet)
    .filter((m) => m.r0 >= t.area.r0 && m.r0 <= t.area.r1 && m.c0 >= t.area.c0 && m.c0 <= t.area.c1)
    .sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
  // … and fails when there are more than 512 of them.
  if (areas.length > MERGED_AREAS_LIMIT) {
    throw new SimError('GeneralException', `There are more than ${MERGED_AREAS_LIMIT} merged areas in the range; the operation failed.`);
  }
  return h('RangeAreas', areas.length ? { sheet: t.sheet, areas } : null);
}

function formulaCells(env: HostEnv, t: RangeTarget, cellType: unknown): Handle {
  if (cellType !== 'Formulas') throw new SimError('SimNotModelled', `Special cell type ${String(cellType)} is not modelled.`);
  // Formula cells inside the range, as horizontal runs (Excel also reports contiguous cells as areas).
  const areas: Area[] = [];
  const m = env.model;
  t.sheet.ws.eachRow({ includeEmpty: false }, (row, rn) => {
    const r = rn - 1;
    if (r < t.area.r0 || r > t.area.r1) return;
    row.eachCell({ includeEmpty: false }, (_cell, cn) => {
      const c = cn - 1;
      if (c < t.area.c0 || c > t.area.c1 || m.readCell(t.sheet, r, c).formula === null) return;
      const last = areas[areas.length - 1];
      if (last && last.r0 === r && last.c1 === c - 1) last.c1 = c;
      else areas.push({ r0: r, c0: c, r1: r, c1: c });
    });
  });
  return h('RangeAreas', areas.length ? { sheet: t.sheet, areas } : null);
}

function findAll(env: HostEnv, s: SheetModel, text: unknown, criteria: { completeMatch?: boolean; matchCase?: boolean } | undefined): Handle {
  const needle = String(text);
  const complete = criteria?.completeMatch ?? false;
  const matchCase = criteria?.matchCase ?? false;
  const norm = (x: string) => (matchCase ? x : x.toLowerCase());
  const want = norm(needle);
  const areas: Area[] = [];
  if (!env.model.usedArea(s, true)) return h('RangeAreas', null);
  s.ws.eachRow({ includeEmpty: false }, (row, rn) => {
    row.eachCell({ includeEmpty: false }, (_cell, cn) => {
      const v = env.model.readCell(s, rn - 1, cn - 1).value;
      const got = norm(String(v));
      if (v !== '' && (complete ? got === want : got.includes(want))) areas.push({ r0: rn - 1, c0: cn - 1, r1: rn - 1, c1: cn - 1 });
    });
  });
  return h('RangeAreas', areas.length ? { sheet: s, areas } : null);
}

function cfTarget(t: CfTarget): CfTarget {
  return t;
}

/** The type table of the core members. */
export function coreTypes(env: HostEnv): Record<string, TypeDef> {
  const m = env.model;
  const sheetByKey = (key: unknown): SheetModel => {
    const s = m.sheetByKey(String(key));
    if (!s) throw new SimError('ItemNotFound', `The requested resource doesn't exist (worksheet '${String(key)}').`);
    return s;
  };
  const cfsOf = (t: AreasTarget) => h('ConditionalFormatCollection', t);
  const customOf = (t: CfTarget, orNull: boolean): Handle => {
    if (t.cf.type !== 'Custom') {
      if (orNull) return h('CustomConditionalFormat', null);
      throw new SimError('InvalidOperation', 'The conditional format is not of type Custom.');
    }
    return h('CustomConditionalFormat', t);
  };
  return {
    Workbook: {
      navs: {
        worksheets: () => h('WorksheetCollection', m),
        settings: () => h('SettingCollection', m),
        names: () => h('NamedItemCollection', m),
      },
    },
    WorksheetCollection: {
      items: () => m.sheets.map((s) => h('Worksheet', s)),
      indexer: (_t, key) => h('Worksheet', sheetByKey(key)),
      methods: {
        getItemOrNullObject: { effect: 'read', run: (_t, [key]) => h('Worksheet', m.sheetByKey(String(key)) ?? null) },
        getActiveWorksheet: { effect: 'read', run: () => h('Worksheet', m.sheetById(m.activeSheetId) ?? m.sheets[0]) },
        _RegisterDataChangedEvent: { effect: 'ui', run: () => env.onRegistration('changed', 1) },
        _UnregisterDataChangedEvent: { effect: 'ui', run: () => env.onRegistration('changed', -1) },
        _RegisterSelectionChangedEvent: { effect: 'ui', run: () => env.onRegistration('selectionChanged', 1) },
        _RegisterActivatedEvent: { effect: 'ui', run: () => env.onRegistration('activated', 1) },
        _UnregisterActivatedEvent: { effect: 'ui', run: () => env.onRegistration('activated', -1) },
        _UnregisterSelectionChangedEvent: { effect: 'ui', run: () => env.onRegistration('selectionChanged', -1) },
      },
    },
    Worksheet: {
      idOf: (s: SheetModel) => s.id,
      defaults: ['name', 'id', 'position', 'visibility'],
      props: {
        name: { get: (s: SheetModel) => s.ws.name },
        id: { get: (s: SheetModel) => s.id },
        position: { get: (s: SheetModel) => m.sheets.indexOf(s) },
        visibility: {
          get: (s: SheetModel) => (s.ws.state === 'visible' ? 'Visible' : s.ws.state === 'hidden' ? 'Hidden' : 'VeryHidden'),
          // Excel's undo page: Worksheet.visibility has no undo support.
          undo: 'none',
          set: (s: SheetModel, v: unknown) => {
            const state = v === 'Hidden' ? 'hidden' : v === 'VeryHidden' ? 'veryHidden' : v === 'Visible' ? 'visible' : null;
            if (!state) throw invalidArgument(`visibility '${String(v)}'`);
            s.ws.state = state;
          },
        },
      },
      navs: {
        protection: (s: SheetModel) => h('WorksheetProtection', s),
      },
      methods: {
        activate: {
          effect: 'ui',
          run: (s: SheetModel) => {
            m.activeSheetId = s.id;
            env.onSelection();
          },
        },
        getRange: { effect: 'read', run: (s: SheetModel, [address]) => h('Range', rangeOn(s, address as string | undefined)) },
        getRanges: {
          effect: 'read',
          run: (s: SheetModel, [address]) => {
            const areas = splitAddressList(String(address ?? '')).map((a) => {
              const p = parseSheetAddress(a);
              if (!p) throw invalidArgument(`address '${a}'`);
              return p.area;
            });
            return h('RangeAreas', { sheet: s, areas });
          },
        },
        getUsedRangeOrNullObject: {
          effect: 'read',
          run: (s: SheetModel, [valuesOnly]) => {
            const a = m.usedArea(s, Boolean(valuesOnly));
            return h('Range', a ? { sheet: s, area: a } : null);
          },
        },
        findAllOrNullObject: {
          effect: 'read',
          run: (s: SheetModel, [text, criteria]) => findAll(env, s, text, criteria as { completeMatch?: boolean; matchCase?: boolean } | undefined),
        },
      },
    },
    WorksheetProtection: {
      props: { protected: { get: (s: SheetModel) => m.protectedSheets.has(s.id) } },
    },
    Range: {
      defaults: ['address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount', 'values', 'formulas', 'numberFormat'],
      props: {
        address: { get: (t: RangeTarget) => sheetAddress(t.sheet.ws.name, t.area) },
        rowIndex: { get: (t: RangeTarget) => t.area.r0 },
        columnIndex: { get: (t: RangeTarget) => t.area.c0 },
        rowCount: { get: (t: RangeTarget) => t.area.r1 - t.area.r0 + 1 },
        columnCount: { get: (t: RangeTarget) => t.area.c1 - t.area.c0 + 1 },
        values: {
          get: (t: RangeTarget) => grid(t, (r, c) => m.readCell(t.sheet, r, c).value),
          set: (t: RangeTarget, v, c) => writeCells(env, t, v, (s, r, col, x, area) => m.writeValue(s, r, col, x, area), c),
        },
        formulas: {
          get: (t: RangeTarget) =>
            grid(t, (r, c) => {
              const x = m.readCell(t.sheet, r, c);
              return x.formula ?? x.value;
            }),
          set: (t: RangeTarget, v, c) => writeCells(env, t, v, (s, r, col, x, area) => m.writeFormula(s, r, col, x, area), c),
        },
        numberFormat: {
          get: (t: RangeTarget) => grid(t, (r, c) => m.readCell(t.sheet, r, c).numFmt),
          set: (t: RangeTarget, v, c) => writeCells(env, t, v, (s, r, col, x) => m.writeNumberFormat(s, r, col, x), c, false),
        },
      },
      navs: {
        conditionalFormats: (t: RangeTarget) => cfsOf({ sheet: t.sheet, areas: [t.area] }),
      },
      methods: {
        getMergedAreasOrNullObject: { effect: 'read', run: (t: RangeTarget) => mergedAreas(env, t) },
        // The library writes an array of more than 1,500 cells in row chunks (setRangePropertiesInBulk):
        // it checks the size first, then addresses each chunk as getRow(i).getBoundingRect(getRow(j)).
        _ValidateArraySize: {
          effect: 'read',
          run: (t: RangeTarget, [rows, cols]) => {
            if (rows !== t.area.r1 - t.area.r0 + 1 || cols !== t.area.c1 - t.area.c0 + 1) {
              throw new SimError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range.`);
            }
          },
        },
        getRow: {
          effect: 'read',
          run: (t: RangeTarget, [i]) => {
            const r = t.area.r0 + Number(i);
            if (!(r >= t.area.r0 && r <= t.area.r1)) throw invalidArgument(`row ${String(i)}`);
            return h('Range', { sheet: t.sheet, area: { r0: r, c0: t.area.c0, r1: r, c1: t.area.c1 } });
          },
        },
        getBoundingRect: {
          effect: 'read',
          run: (t: RangeTarget, [other]) => {
            const o = (other as Handle | undefined)?.target as RangeTarget | null | undefined;
            if (!o || o.sheet !== t.sheet) throw invalidArgument('anotherRange');
            const a = t.area;
            const b = o.area;
            return h('Range', { sheet: t.sheet, area: { r0: Math.min(a.r0, b.r0), c0: Math.min(a.c0, b.c0), r1: Math.max(a.r1, b.r1), c1: Math.max(a.c1, b.c1) } });
          },
        },
        getSpecialCellsOrNullObject: { effect: 'read', run: (t: RangeTarget, [cellType]) => formulaCells(env, t, cellType) },
        select: {
          effect: 'ui',
          run: (t: RangeTarget) => {
            if (t.sheet.id !== m.activeSheetId) throw new SimError('InvalidOperation', 'Cannot select a range on a worksheet that is not active.');
            m.selection = { sheetId: t.sheet.id, area: { ...t.area } };
            env.onSelection();
          },
        },
      },
    },
    RangeAreas: {
      defaults: ['address', 'areaCount'],
      props: {
        address: { get: (t: AreasTarget) => t.areas.map((a) => sheetAddress(t.sheet.ws.name, a)).join(',') },
        areaCount: { get: (t: AreasTarget) => t.areas.length },
      },
      navs: { conditionalFormats: (t: AreasTarget) => cfsOf(t) },
    },
    ConditionalFormatCollection: {
      items: (t: AreasTarget) => m.conditionalFormatsIn(t.sheet, t.areas).map((cf) => h('ConditionalFormat', { sheet: t.sheet, cf })),
      indexer: (t: AreasTarget, id) => {
        const cf = t.sheet.cfs.find((x) => x.id === id);
        if (!cf) throw new SimError('ItemNotFound', `The requested resource doesn't exist (conditional format '${String(id)}').`);
        return h('ConditionalFormat', { sheet: t.sheet, cf });
      },
      methods: {
        add: {
          creates: true,
          run: (t: AreasTarget, [type]) => {
            guardProtected(env, t.sheet);
            if (type !== 'Custom' && type !== 'DataBar') throw new SimError('SimNotModelled', `Conditional formats of type ${String(type)} are not modelled.`);
            return h('ConditionalFormat', { sheet: t.sheet, cf: m.addConditionalFormat(t.sheet, t.areas, String(type)) });
          },
        },
      },
    },
    ConditionalFormat: {
      idOf: (t: CfTarget) => t.cf.id,
      defaults: ['id', 'type', 'priority', 'stopIfTrue'],
      props: {
        id: { get: (t: CfTarget) => t.cf.id },
        type: { get: (t: CfTarget) => t.cf.type },
        priority: { get: (t: CfTarget) => t.cf.priority, set: (t: CfTarget, v) => (t.cf.priority = Number(v)) },
        stopIfTrue: { get: (t: CfTarget) => t.cf.stopIfTrue, set: (t: CfTarget, v) => (t.cf.stopIfTrue = Boolean(v)) },
      },
      navs: {
        custom: (t: CfTarget) => customOf(t, false),
        customOrNullObject: (t: CfTarget) => customOf(t, true),
      },
      methods: {
        delete: {
          run: (t: CfTarget) => {
            guardProtected(env, t.sheet);
            if (!t.sheet.cfs.includes(t.cf)) throw new SimError('ItemNotFound', "The requested resource doesn't exist.");
            m.deleteConditionalFormat(t.sheet, t.cf.id);
          },
        },
      },
    },
    CustomConditionalFormat: {
      navs: {
        rule: (t: CfTarget) => h('ConditionalFormatRule', cfTarget(t)),
        format: (t: CfTarget) => h('ConditionalRangeFormat', t),
      },
    },
    ConditionalFormatRule: {
      props: { formula: { get: (t: CfTarget) => t.cf.formula, set: (t: CfTarget, v) => (t.cf.formula = String(v)) } },
    },
    ConditionalRangeFormat: {
      navs: {
        fill: (t: CfTarget) => h('ConditionalRangeFill', t),
        font: (t: CfTarget) => h('ConditionalRangeFont', t),
      },
    },
    ConditionalRangeFill: {
      props: { color: { get: (t: CfTarget) => t.cf.fill, set: (t: CfTarget, v) => (t.cf.fill = String(v).toUpperCase()) } },
    },
    ConditionalRangeFont: {
      props: {
        color: { get: (t: CfTarget) => t.cf.fontColor, set: (t: CfTarget, v) => (t.cf.fontColor = String(v).toUpperCase()) },
        bold: { get: (t: CfTarget) => t.cf.bold ?? false, set: (t: CfTarget, v) => (t.cf.bold = Boolean(v)) },
      },
    },
    SettingCollection: {
      methods: {
        add: {
          creates: true,
          run: (_t, [key, value]) => {
            m.settings.set(String(key), JSON.stringify(value ?? null));
            return h('Setting', String(key));
          },
        },
        getItemOrNullObject: { effect: 'read', run: (_t, [key]) => h('Setting', m.settings.has(String(key)) ? String(key) : null) },
      },
    },
    Setting: {
      props: {
        key: { get: (key: string) => key },
        value: {
          get: (key: string) => JSON.parse(m.settings.get(key) ?? 'null'),
          set: (key: string, v) => m.settings.set(key, JSON.stringify(v ?? null)),
        },
      },
    },
  };
}

export function areaAddress(area: Area): string {
  return areaA1(area);
}
