/**
 * `Range` of the in-memory WPS host and the objects hanging off it (Font, Interior, Borders, Areas,
 * FormatConditions, Validation, Hyperlinks), over the shared WorkbookModel. Semantics: src/wps/api.ts.
 * Every object is handed out through `host.wrap` (call counting); internal code works on the raw objects.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import ExcelJS from 'exceljs';
import { Area } from '../domain/grid';
import type { SheetModel, SimConditionalFormat } from '../excel-sim/model';
import {
  bgr,
  hexOfBgr,
  xlCellTypeConstants,
  xlCellTypeFormulas,
  xlContinuous,
  xlDatabar,
  xlExpression,
  xlFormulas,
  xlLineStyleNone,
  xlPart,
  xlUnderlineStyleNone,
  xlUnderlineStyleSingle,
  xlValidateDecimal,
  xlValidateInputOnly,
  xlValidateList,
  xlValidateWholeNumber,
  xlWhole,
} from '../wps/api';
import type {
  WpsAreas,
  WpsBorder,
  WpsDatabar,
  WpsFont,
  WpsFormatCondition,
  WpsFormatConditions,
  WpsRange,
  WpsValidation,
} from '../wps/api';
import {
  addressOf,
  areaSize,
  argbOfBgr,
  bgrOfArgb,
  CellInfo,
  cellInfo,
  compactCells,
  containsArea,
  eachExisting,
  formulaOf,
  infoAt,
  infoOf,
  arrayFormulas,
  intersection,
  MergeIndex,
  mergesOf,
  textOf,
  value2Of,
  valueCategory,
} from './cells';
import { unwrap } from './counting';
import { SimWpsError, wpsError } from './errors';
import type { FindState, WpsHost } from './host';
import { mergeAll } from '../xlsx/report';

/** The most cells a write goes through one by one (the whole sheet cannot be). */
const WRITE_LIMIT = 1_000_000;
const xlByColumns = 2;
const xlPrevious = 2;

/** Font.Bold of conditional formats written through the model (the shared model has no field for it). */
export const conditionalBold = new WeakMap<SimConditionalFormat, boolean>();

const H_ALIGN: Record<string, number> = {
  left: -4131,
  center: -4108,
  right: -4152,
  general: 1,
  justify: -4130,
  fill: 5,
  distributed: -4117,
  centerContinuous: 7,
};
const V_ALIGN: Record<string, number> = {
  top: -4160,
  middle: -4108,
  bottom: -4107,
  justify: -4130,
  distributed: -4117,
};
const BORDER_SIDES: Record<number, 'left' | 'top' | 'bottom' | 'right'> = {
  7: 'left',
  8: 'top',
  9: 'bottom',
  10: 'right',
};
const WEIGHTS: Record<string, number> = { hair: 1, thin: 2, medium: -4138, thick: 4 };
const CF_TYPES: Record<string, number> = {
  Custom: xlExpression,
  CellValue: 1,
  ColorScale: 3,
  DataBar: xlDatabar,
  TopBottom: 5,
  IconSet: 6,
  ContainsText: 9,
  PresetCriteria: 12,
};

const invert = (m: Record<string, number>, n: number): string | undefined => Object.keys(m).find((k) => m[k] === n);

function styleOf(cell: ExcelJS.Cell | undefined): Partial<ExcelJS.Style> {
  return (cell?.style ?? {}) as Partial<ExcelJS.Style>;
}

/** A JavaScript value as WPS's model takes it: Date objects become serial numbers. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return (v.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;
  return v;
}

function wildcard(what: string, whole: boolean, matchCase: boolean): RegExp {
  let src = '';
  for (let i = 0; i < what.length; i++) {
    const ch = what[i];
    if (ch === '~' && i + 1 < what.length && '*?~'.includes(what[i + 1])) {
      src += `\\${what[++i]}`;
    } else if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(whole ? `^${src}$` : src, matchCase ? 'u' : 'iu');
}

const mergeIndexes = new WeakMap<SheetModel, { stamp: unknown; count: number; index: MergeIndex }>();

/** The sheet's merged areas indexed by row (cached while the sheet's used area and merge count stay the same). */
function mergeIndexOf(sheet: SheetModel, used: Area): MergeIndex {
  const merges = mergesOf(sheet);
  const hit = mergeIndexes.get(sheet);
  if (hit && hit.stamp === sheet.usedCache && hit.count === merges.length) return hit.index;
  const index = new MergeIndex(merges, used);
  mergeIndexes.set(sheet, { stamp: sheet.usedCache, count: merges.length, index });
  return index;
}

export class SimRange implements WpsRange {
  constructor(
    private readonly host: WpsHost,
    readonly sheet: SheetModel,
    readonly areas: Area[],
  ) {}

  private get first(): Area {
    return this.areas[0];
  }

  private get model() {
    return this.host.model;
  }

  private live(): void {
    this.host.assertLive(this.sheet);
  }

  /**
   * The value `get` gives for every cell of the range, or null when cells differ. Only the cells ExcelJS
   * stores are visited (so a whole-sheet range costs what the sheet holds); one empty cell stands for all
   * the cells it does not store.
   */
  private uniform<T>(
    get: (info: CellInfo, cell: ExcelJS.Cell | undefined, r: number, c: number) => T,
    key: (v: T) => string = (v) => JSON.stringify(v) ?? 'undefined',
  ): T | null {
    let seen = 0;
    let have = false;
    let out: T | null = null;
    let mixed = false;
    const take = (v: T) => {
      if (!have) {
        out = v;
        have = true;
      } else if (key(out as T) !== key(v)) mixed = true;
      return !mixed;
    };
    let total = 0;
    for (const a of this.areas) {
      total += areaSize(a);
      const ok = eachExisting(this.sheet, a, (cell, r, c) => {
        seen++;
        return take(get(infoAt(this.model, this.sheet, cell, r, c), cell, r, c));
      });
      if (!ok) return null;
    }
    if (seen < total) take(get(infoOf(undefined), undefined, this.first.r0, this.first.c0));
    return mixed ? null : out;
  }

  private grid<T>(fn: (info: CellInfo) => T): T | T[][] {
    this.live();
    const a = this.first;
    if (a.r0 === a.r1 && a.c0 === a.c1) return fn(cellInfo(this.model, this.sheet, a.r0, a.c0));
    if (areaSize(a) > WRITE_LIMIT) throw wpsError('tooLarge');
    const rows: T[][] = [];
    for (let r = a.r0; r <= a.r1; r++) {
      const row: T[] = [];
      for (let c = a.c0; c <= a.c1; c++) row.push(fn(cellInfo(this.model, this.sheet, r, c)));
      rows.push(row);
    }
    return rows;
  }

  /** Writes a scalar (to every cell) or rows of cells (Excel's fill rules for smaller arrays) to every area. */
  private writeShape(v: unknown, put: (r: number, c: number, x: unknown, area: Area) => void): void {
    this.live();
    const rows: unknown[][] | null = Array.isArray(v)
      ? v.length && Array.isArray(v[0])
        ? (v as unknown[][])
        : [v as unknown[]]
      : null;
    let total = 0;
    for (const a of this.areas) total += areaSize(a);
    if (total > WRITE_LIMIT) throw wpsError('tooLarge');
    this.host.assertCellsWritable(this.sheet, this.areas);
    this.assertNoArrayPart();
    const width = rows ? rows.reduce((w, rw) => Math.max(w, Array.isArray(rw) ? rw.length : 0), 0) : 0;
    for (const a of this.areas) {
      for (let r = a.r0; r <= a.r1; r++) {
        for (let c = a.c0; c <= a.c1; c++) {
          let x: unknown = v;
          if (rows) {
            const i = rows.length === 1 ? 0 : r - a.r0;
            const row = rows[i];
            const j = width === 1 ? 0 : c - a.c0;
            x = row === undefined || j >= row.length ? { error: '#N/A' } : row[j];
          }
          put(r, c, plain(x), a);
        }
      }
    }
    this.sheet.usedCache = undefined;
    this.host.cellsChanged(this.sheet, this.areas);
  }

  /** WPS refuses to change part of an array formula's range. */
  private assertNoArrayPart(): void {
    for (const x of arrayFormulas(this.model, this.sheet)) {
      for (const a of this.areas) if (intersection(a, x.area) && !containsArea(a, x.area)) throw wpsError('arrayPart');
    }
  }

  private putValue(r: number, c: number, x: unknown, area: Area, asFormula: boolean): void {
    if (x && typeof x === 'object' && typeof (x as { error?: unknown }).error === 'string') {
      this.sheet.ws.getCell(r + 1, c + 1).value = { error: (x as { error: string }).error } as ExcelJS.CellValue;
      return;
    }
    if (asFormula) this.model.writeFormula(this.sheet, r, c, x, area);
    else this.model.writeValue(this.sheet, r, c, x, area);
  }

  // ---- values ---------------------------------------------------------------------------------------

  get Value2(): any {
    return this.grid(value2Of);
  }

  set Value2(v: any) {
    this.writeShape(v, (r, c, x, a) => this.putValue(r, c, x, a, false));
  }

  get Formula(): any {
    return this.grid(formulaOf);
  }

  set Formula(v: any) {
    this.writeShape(v, (r, c, x, a) => this.putValue(r, c, x, a, true));
  }

  get NumberFormat(): string | null {
    this.live();
    return this.uniform((info) => info.numFmt);
  }

  set NumberFormat(fmt: string | null) {
    this.live();
    this.host.assertFormatWritable(this.sheet);
    this.eachCellForWrite((r, c) => this.model.writeNumberFormat(this.sheet, r, c, fmt));
    this.host.changed();
  }

  get Text(): string {
    this.live();
    return this.uniform((info) => textOf(info)) as string;
  }

  get HasFormula(): boolean | null {
    this.live();
    return this.uniform((info) => info.formula !== undefined);
  }

  // ---- geometry -------------------------------------------------------------------------------------

  get Row(): number {
    return this.first.r0 + 1;
  }

  get Column(): number {
    return this.first.c0 + 1;
  }

  get Rows(): { readonly Count: number } {
    const n = this.first.r1 - this.first.r0 + 1;
    return this.host.wrap(
      {
        get Count() {
          return n;
        },
      },
      'Rows',
    );
  }

  get Columns(): { readonly Count: number } {
    const n = this.first.c1 - this.first.c0 + 1;
    return this.host.wrap(
      {
        get Count() {
          return n;
        },
      },
      'Columns',
    );
  }

  Address(rowAbsolute = true, columnAbsolute = true): string {
    return this.areas.map((a) => addressOf(a, rowAbsolute, columnAbsolute)).join(',');
  }

  get Areas(): WpsAreas {
    return this.makeAreas(this);
  }

  private makeAreas(self: SimRange): WpsAreas {
    return this.host.wrap(
      {
        get Count() {
          return self.areas.length;
        },
        Item(i: number) {
          const a = self.areas[Number(i) - 1];
          if (!a) throw wpsError('subscript', 9);
          return self.host.range(self.sheet, [a]);
        },
      },
      'Areas',
    );
  }

  get Worksheet() {
    return this.host.worksheet(this.sheet);
  }

  // ---- merged areas ---------------------------------------------------------------------------------

  get MergeCells(): boolean | null {
    this.live();
    const merges = mergesOf(this.sheet);
    let covered = 0;
    let total = 0;
    for (const a of this.areas) {
      total += areaSize(a);
      for (const m of merges) {
        const x = intersection(a, m);
        if (x) covered += areaSize(x);
      }
    }
    return covered === 0 ? false : covered >= total ? true : null;
  }

  get MergeArea(): WpsRange {
    this.live();
    const a = this.first;
    const m = mergesOf(this.sheet).find((x) => a.r0 >= x.r0 && a.r0 <= x.r1 && a.c0 >= x.c0 && a.c0 <= x.c1);
    return this.host.range(this.sheet, [m && containsArea(m, a) ? m : a]);
  }

  Merge(): void {
    this.live();
    this.host.assertFormatWritable(this.sheet);
    for (const a of this.areas) {
      if (a.r0 === a.r1 && a.c0 === a.c1) continue;
      const merges = mergesOf(this.sheet);
      for (const m of merges) {
        if (!intersection(a, m)) continue;
        if (!containsArea(a, m)) throw wpsError('overlappingMerge');
        this.sheet.ws.unMergeCells(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
      }
      // The merged area keeps the upper-left-most value (row order) and drops the others.
      let kept: ExcelJS.CellValue = null;
      eachExisting(this.sheet, a, (cell, r, c) => {
        const topLeft = r === a.r0 && c === a.c0;
        if (kept === null && cell.value !== null && cell.value !== undefined && cell.type !== ExcelJS.ValueType.Merge) {
          kept = cell.value;
        }
        if (!topLeft) cell.value = null;
      });
      const master = this.sheet.ws.getCell(a.r0 + 1, a.c0 + 1);
      master.value = kept;
      mergeAll(this.sheet.ws, [a]);
    }
    this.sheet.usedCache = undefined;
    this.host.changed();
  }

  UnMerge(): void {
    this.live();
    this.host.assertFormatWritable(this.sheet);
    for (const m of mergesOf(this.sheet)) {
      if (this.areas.some((a) => intersection(a, m)))
        this.sheet.ws.unMergeCells(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
    }
    this.sheet.usedCache = undefined;
    this.host.changed();
  }

  ClearContents(): void {
    this.live();
    for (const m of mergesOf(this.sheet)) {
      for (const a of this.areas) if (intersection(a, m) && !containsArea(a, m)) throw wpsError('overlappingMerge');
    }
    this.assertNoArrayPart();
    // Only stored cells can hold content, so a whole-sheet range costs what the sheet holds.
    const targets: { r: number; c: number; a: Area }[] = [];
    for (const a of this.areas) {
      eachExisting(this.sheet, a, (cell, r, c) => {
        if (cell.type !== ExcelJS.ValueType.Merge && cell.type !== ExcelJS.ValueType.Null) targets.push({ r, c, a });
      });
    }
    const cells = targets.map((t) => ({ r0: t.r, c0: t.c, r1: t.r, c1: t.c }));
    this.host.assertCellsWritable(this.sheet, cells);
    for (const t of targets) this.model.writeValue(this.sheet, t.r, t.c, null, t.a);
    this.sheet.usedCache = undefined;
    this.host.cellsChanged(this.sheet, this.areas);
  }

  // ---- Find / SpecialCells --------------------------------------------------------------------------

  Find(
    what: string,
    after?: WpsRange,
    lookIn?: number,
    lookAt?: number,
    searchOrder?: number,
    searchDirection?: number,
    matchCase?: boolean,
    _matchByte?: boolean,
    searchFormat?: boolean,
  ): WpsRange | null {
    this.host.lastFind = {
      what: String(what ?? ''),
      lookIn: lookIn ?? xlFormulas,
      lookAt: lookAt ?? xlPart,
      searchOrder: searchOrder ?? 1,
      searchDirection: searchDirection ?? 1,
      matchCase: Boolean(matchCase),
      searchFormat: Boolean(searchFormat),
    };
    return this.search(this.host.lastFind, after);
  }

  FindNext(after?: WpsRange): WpsRange | null {
    const state = this.host.lastFind;
    return state ? this.search({ ...state, searchDirection: 1 }, after) : null;
  }

  /** Excel's search: starts after `after` (default: the range's first cell, which is thus looked at last), wraps around. */
  private search(state: FindState, after?: WpsRange): WpsRange | null {
    this.live();
    const used = this.model.usedArea(this.sheet, false);
    if (!used) return null;
    const spaces = this.areas.map((a) => intersection(a, used)).filter((a): a is Area => a !== null);
    if (!spaces.length) return null;
    const byCols = state.searchOrder === xlByColumns;
    const sizes = spaces.map(areaSize);
    const total = sizes.reduce((s, n) => s + n, 0);
    const coords = (k: number): { r: number; c: number } => {
      let i = 0;
      while (k >= sizes[i]) k -= sizes[i++];
      const a = spaces[i];
      const w = a.c1 - a.c0 + 1;
      const h = a.r1 - a.r0 + 1;
      return byCols
        ? { r: a.r0 + (k % h), c: a.c0 + Math.floor(k / h) }
        : { r: a.r0 + Math.floor(k / w), c: a.c0 + (k % w) };
    };
    const indexOf = (r: number, c: number): number => {
      let base = 0;
      for (let i = 0; i < spaces.length; i++) {
        const a = spaces[i];
        if (r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1) {
          const w = a.c1 - a.c0 + 1;
          const h = a.r1 - a.r0 + 1;
          return base + (byCols ? (c - a.c0) * h + (r - a.r0) : (r - a.r0) * w + (c - a.c0));
        }
        base += sizes[i];
      }
      // Outside the searched cells: start at the first cell after it in the search order.
      for (let k = 0; k < total; k++) {
        const p = coords(k);
        if (byCols ? p.c > c || (p.c === c && p.r > r) : p.r > r || (p.r === r && p.c > c)) return k - 1;
      }
      return total - 1;
    };
    const from = unwrap(after) as SimRange | undefined;
    const start =
      from instanceof SimRange
        ? indexOf(from.first.r0, from.first.c0)
        : this.areas[0]
          ? indexOf(this.first.r0, this.first.c0)
          : -1;
    if (state.searchFormat && this.host.findFormatMerge !== null && this.host.findByFormat === 'none') return null;
    const merges = state.searchFormat && this.host.findFormatMerge !== null ? mergeIndexOf(this.sheet, used) : null;
    const everyCell = this.host.findByFormat === 'every-cell';
    const wantMerged = this.host.findFormatMerge;
    const pattern = state.what === '' ? null : wildcard(state.what, state.lookAt === xlWhole, state.matchCase);
    const step = state.searchDirection === xlPrevious ? -1 : 1;
    for (let n = 1; n <= total; n++) {
      const k = (((start + step * n) % total) + total) % total;
      const { r, c } = coords(k);
      if (merges) {
        const m = merges.at(r, c);
        if (wantMerged ? !m || (!everyCell && (m.r0 !== r || m.c0 !== c)) : m !== undefined) continue;
      }
      if (pattern) {
        const info = cellInfo(this.model, this.sheet, r, c);
        const text = state.lookIn === xlFormulas ? formulaOf(info) : textOf(info);
        if (!pattern.test(text)) continue;
      } else if (
        !state.searchFormat &&
        cellInfo(this.model, this.sheet, r, c).value === undefined &&
        cellInfo(this.model, this.sheet, r, c).error === undefined
      ) {
        continue;
      }
      return this.host.range(this.sheet, [{ r0: r, c0: c, r1: r, c1: c }]);
    }
    return null;
  }

  SpecialCells(type: number, value?: number): WpsRange {
    this.live();
    if (type !== xlCellTypeFormulas && type !== xlCellTypeConstants) {
      throw new SimWpsError(1004, `模拟宿主不支持 SpecialCells 类型 ${type}。`);
    }
    const used = this.model.usedArea(this.sheet, false);
    const single = this.areas.length === 1 && areaSize(this.first) === 1;
    // On one cell, SpecialCells looks at the whole used range (as in Excel).
    const spaces = single
      ? used
        ? [used]
        : []
      : this.areas.map((a) => (used ? intersection(a, used) : null)).filter((a): a is Area => a !== null);
    const mask = value ?? 23;
    const found: { r: number; c: number }[] = [];
    for (const a of spaces) {
      eachExisting(this.sheet, a, (cell, r, c) => {
        const info = infoAt(this.model, this.sheet, cell, r, c);
        const isFormula = info.formula !== undefined;
        if (
          type === xlCellTypeFormulas ? !isFormula : isFormula || (info.value === undefined && info.error === undefined)
        )
          return;
        if (valueCategory(info) & mask) found.push({ r, c });
      });
    }
    if (!found.length) throw wpsError('noCells');
    found.sort((p, q) => p.r - q.r || p.c - q.c);
    return this.host.range(this.sheet, compactCells(found));
  }

  // ---- formats --------------------------------------------------------------------------------------

  /** Calls `fn` for every cell of the range (at most WRITE_LIMIT cells). */
  private eachCellForWrite(fn: (r: number, c: number, a: Area) => void): void {
    let total = 0;
    for (const a of this.areas) total += areaSize(a);
    if (total > WRITE_LIMIT) throw wpsError('tooLarge');
    for (const a of this.areas) for (let r = a.r0; r <= a.r1; r++) for (let c = a.c0; c <= a.c1; c++) fn(r, c, a);
  }

  private styleWrite(fn: (cell: ExcelJS.Cell, r: number, c: number, a: Area) => void): void {
    this.live();
    this.host.assertFormatWritable(this.sheet);
    this.eachCellForWrite((r, c, a) => fn(this.sheet.ws.getCell(r + 1, c + 1), r, c, a));
    this.sheet.usedCache = undefined;
    this.host.changed();
  }

  private styleRead<T>(get: (s: Partial<ExcelJS.Style>) => T): T | null {
    this.live();
    return this.uniform((_info, cell) => get(styleOf(cell)));
  }

  get Font(): WpsFont {
    return this.makeFont(this);
  }

  private makeFont(self: SimRange): WpsFont {
    const prop = <T>(get: (f: Partial<ExcelJS.Font>) => T, set: (v: any) => Partial<ExcelJS.Font>) => ({
      get: () => self.styleRead((s) => get(s.font ?? {})) as T,
      set: (v: any) => self.styleWrite((cell) => (cell.font = { ...(cell.font ?? {}), ...set(v) })),
    });
    const font = {};
    Object.defineProperties(font, {
      Name: {
        ...prop(
          (f) => f.name ?? '宋体',
          (v) => ({ name: String(v) }),
        ),
        enumerable: true,
      },
      Size: {
        ...prop(
          (f) => f.size ?? 11,
          (v) => ({ size: Number(v) }),
        ),
        enumerable: true,
      },
      Bold: {
        ...prop(
          (f) => Boolean(f.bold),
          (v) => ({ bold: Boolean(v) }),
        ),
        enumerable: true,
      },
      Italic: {
        ...prop(
          (f) => Boolean(f.italic),
          (v) => ({ italic: Boolean(v) }),
        ),
        enumerable: true,
      },
      Underline: {
        ...prop(
          (f) => (f.underline ? xlUnderlineStyleSingle : xlUnderlineStyleNone),
          (v) => ({
            underline:
              Number(v) === xlUnderlineStyleNone ? false : Number(v) === xlUnderlineStyleSingle ? true : 'double',
          }),
        ),
        enumerable: true,
      },
      Color: {
        ...prop(
          (f) => bgrOfArgb(f.color?.argb, 0),
          (v) => ({ color: { argb: argbOfBgr(v) } }),
        ),
        enumerable: true,
      },
    });
    return this.host.wrap(font as WpsFont, 'Font');
  }

  get Interior(): { Color: number; Pattern: number } {
    return this.makeInterior(this);
  }

  private makeInterior(self: SimRange): { Color: number; Pattern: number } {
    const fillOf = (s: Partial<ExcelJS.Style>) => s.fill as ExcelJS.FillPattern | undefined;
    const interior = {
      get Color(): number {
        return self.styleRead((s) => {
          const f = fillOf(s);
          return f && f.type === 'pattern' && f.pattern !== 'none' ? bgrOfArgb(f.fgColor?.argb, 16777215) : 16777215;
        }) as number;
      },
      set Color(v: number) {
        self.styleWrite((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argbOfBgr(v) } }));
      },
      get Pattern(): number {
        return self.styleRead((s) => {
          const f = fillOf(s);
          return f && f.type === 'pattern' && f.pattern !== 'none' ? 1 : -4142;
        }) as number;
      },
      set Pattern(v: number) {
        self.styleWrite((cell) => {
          const f = cell.fill as ExcelJS.FillPattern | undefined;
          cell.fill =
            Number(v) === -4142
              ? { type: 'pattern', pattern: 'none' }
              : { type: 'pattern', pattern: 'solid', fgColor: f?.fgColor ?? { argb: 'FFFFFFFF' } };
        });
      },
    };
    return this.host.wrap(interior, 'Interior');
  }

  get Borders(): { Item(index: number): WpsBorder; LineStyle: number; Weight: number; Color: number } {
    return this.makeBorders(this);
  }

  private makeBorders(self: SimRange): {
    Item(index: number): WpsBorder;
    LineStyle: number;
    Weight: number;
    Color: number;
  } {
    // Which sides of a cell (r, c) in area a an XlBordersIndex draws (11 inside vertical, 12 inside horizontal).
    const sidesFor = (index: number, r: number, c: number, a: Area): ('left' | 'top' | 'bottom' | 'right')[] => {
      if (BORDER_SIDES[index]) {
        const s = BORDER_SIDES[index];
        const edge = s === 'left' ? c === a.c0 : s === 'right' ? c === a.c1 : s === 'top' ? r === a.r0 : r === a.r1;
        return edge ? [s] : [];
      }
      if (index === 11) return [...(c > a.c0 ? (['left'] as const) : []), ...(c < a.c1 ? (['right'] as const) : [])];
      if (index === 12) return [...(r > a.r0 ? (['top'] as const) : []), ...(r < a.r1 ? (['bottom'] as const) : [])];
      throw new SimWpsError(1004, `边框索引 ${index} 无效。`);
    };
    const update = (
      indexes: number[],
      change: (old: Partial<ExcelJS.Border> | undefined) => Partial<ExcelJS.Border> | undefined,
    ) =>
      self.styleWrite((cell, r, c, a) => {
        const b: Partial<ExcelJS.Borders> = { ...(cell.border ?? {}) };
        for (const i of indexes)
          for (const s of sidesFor(i, r, c, a)) {
            const next = change(b[s]);
            if (next) b[s] = next as ExcelJS.Border;
            else delete b[s];
          }
        cell.border = b;
      });
    const read = (index: number, get: (b: Partial<ExcelJS.Border> | undefined) => number) =>
      self.styleRead((s) => get(s.border?.[BORDER_SIDES[index] ?? 'top'])) as number;
    const lineStyle = (v: number) => (old: Partial<ExcelJS.Border> | undefined) =>
      Number(v) === xlLineStyleNone ? undefined : { ...old, style: old?.style ?? 'thin' };
    const weight = (v: number) => (old: Partial<ExcelJS.Border> | undefined) => ({
      ...old,
      style: (invert(WEIGHTS, Number(v)) ?? 'thin') as ExcelJS.BorderStyle,
    });
    const color = (v: number) => (old: Partial<ExcelJS.Border> | undefined) => ({
      ...old,
      style: old?.style ?? 'thin',
      color: { argb: argbOfBgr(v) },
    });
    const border = (indexes: number[], readIndex: number): WpsBorder => ({
      get LineStyle() {
        return read(readIndex, (b) => (b?.style ? xlContinuous : xlLineStyleNone));
      },
      set LineStyle(v: number) {
        update(indexes, lineStyle(v));
      },
      get Weight() {
        return read(readIndex, (b) => WEIGHTS[b?.style ?? 'thin'] ?? 2);
      },
      set Weight(v: number) {
        update(indexes, weight(v));
      },
      get Color() {
        return read(readIndex, (b) => bgrOfArgb(b?.color?.argb, 0));
      },
      set Color(v: number) {
        update(indexes, color(v));
      },
    });
    const all = border([7, 8, 9, 10, 11, 12], 8);
    const borders = {
      Item: (index: number) => self.host.wrap(border([Number(index)], Number(index)), 'Border'),
    };
    for (const key of ['LineStyle', 'Weight', 'Color'] as const) {
      Object.defineProperty(borders, key, {
        get: () => all[key],
        set: (v: number) => (all[key] = v),
        enumerable: true,
      });
    }
    return this.host.wrap(
      borders as { Item(index: number): WpsBorder; LineStyle: number; Weight: number; Color: number },
      'Borders',
    );
  }

  get HorizontalAlignment(): number {
    return this.styleRead((s) => H_ALIGN[s.alignment?.horizontal ?? 'general'] ?? 1) as number;
  }

  set HorizontalAlignment(v: number) {
    const h = invert(H_ALIGN, Number(v));
    this.styleWrite(
      (cell) => (cell.alignment = { ...(cell.alignment ?? {}), horizontal: h as ExcelJS.Alignment['horizontal'] }),
    );
  }

  get VerticalAlignment(): number {
    return this.styleRead((s) => V_ALIGN[s.alignment?.vertical ?? 'bottom'] ?? -4107) as number;
  }

  set VerticalAlignment(v: number) {
    const h = invert(V_ALIGN, Number(v));
    this.styleWrite(
      (cell) => (cell.alignment = { ...(cell.alignment ?? {}), vertical: h as ExcelJS.Alignment['vertical'] }),
    );
  }

  get WrapText(): boolean {
    return this.styleRead((s) => Boolean(s.alignment?.wrapText)) as boolean;
  }

  set WrapText(v: boolean) {
    this.styleWrite((cell) => (cell.alignment = { ...(cell.alignment ?? {}), wrapText: Boolean(v) }));
  }

  get ColumnWidth(): number {
    this.live();
    const widths = new Set<number>();
    for (const a of this.areas) {
      for (let c = a.c0; c <= Math.min(a.c1, a.c0 + 16383); c++)
        widths.add(this.sheet.ws.getColumn(c + 1).width ?? 8.38);
      if (widths.size > 1) return null as unknown as number;
    }
    return [...widths][0];
  }

  set ColumnWidth(v: number) {
    this.live();
    this.host.assertFormatWritable(this.sheet);
    for (const a of this.areas) for (let c = a.c0; c <= a.c1; c++) this.sheet.ws.getColumn(c + 1).width = Number(v);
    this.host.changed();
  }

  get RowHeight(): number {
    this.live();
    const dflt = this.sheet.ws.properties.defaultRowHeight ?? 13.5;
    const heights = new Set<number>();
    for (const a of this.areas) {
      for (let r = a.r0; r <= Math.min(a.r1, a.r0 + 65535); r++) {
        heights.add(this.sheet.ws.findRow(r + 1)?.height ?? dflt);
        if (heights.size > 1) return null as unknown as number;
      }
    }
    return [...heights][0];
  }

  set RowHeight(v: number) {
    this.live();
    this.host.assertFormatWritable(this.sheet);
    for (const a of this.areas) {
      if (a.r1 - a.r0 >= 65536) throw wpsError('tooLarge');
      for (let r = a.r0; r <= a.r1; r++) this.sheet.ws.getRow(r + 1).height = Number(v);
    }
    this.host.changed();
  }

  // ---- conditional formats, validation, links ---------------------------------------------------------

  get FormatConditions(): WpsFormatConditions {
    return this.host.wrap(new SimFormatConditions(this.host, this), 'FormatConditions');
  }

  get Validation(): WpsValidation {
    return this.host.wrap(new SimValidation(this.host, this), 'Validation');
  }

  get Hyperlinks(): {
    Add(anchor: WpsRange, address: string, subAddress?: string, screenTip?: string, textToDisplay?: string): unknown;
  } {
    return this.makeHyperlinks(this);
  }

  private makeHyperlinks(self: SimRange): {
    Add(anchor: WpsRange, address: string, subAddress?: string, screenTip?: string, textToDisplay?: string): unknown;
  } {
    return this.host.wrap(
      {
        Add(
          anchor: WpsRange,
          address: string,
          subAddress?: string,
          screenTip?: string,
          textToDisplay?: string,
        ): unknown {
          const at = unwrap(anchor) as unknown as SimRange;
          if (!(at instanceof SimRange)) throw new SimWpsError(13, '类型不匹配：Anchor 必须是单元格区域。');
          at.live();
          self.host.assertCellsWritable(at.sheet, [at.first]);
          const cell = at.sheet.ws.getCell(at.first.r0 + 1, at.first.c0 + 1);
          // An internal link is kept as ExcelJS keeps one read from a file: the location, without `#` or `$`.
          const target = subAddress ? subAddress.replace(/^#/, '').replace(/\$/g, '') : String(address ?? '');
          const shown = textToDisplay ?? (cell.text || (subAddress ?? address));
          cell.value = {
            text: shown,
            hyperlink: target,
            ...(screenTip ? { tooltip: screenTip } : {}),
          } as ExcelJS.CellValue;
          at.sheet.usedCache = undefined;
          self.host.cellsChanged(at.sheet, [at.first]);
          return self.host.wrap(
            {
              Address: String(address ?? ''),
              SubAddress: subAddress ?? '',
              TextToDisplay: shown,
              ScreenTip: screenTip ?? '',
            },
            'Hyperlink',
          );
        },
      },
      'Hyperlinks',
    );
  }

  // ---- selection ------------------------------------------------------------------------------------

  Select(): void {
    this.live();
    if (this.model.activeSheetId !== this.sheet.id) throw wpsError('notActive');
    this.host.selected(this.sheet, this.areas);
  }

  Activate(): void {
    this.live();
    if (this.model.activeSheetId !== this.sheet.id) throw wpsError('notActive');
    const inSelection =
      this.model.selection?.sheetId === this.sheet.id && containsArea(this.model.selection.area, this.first);
    // Activating a cell inside the selection keeps the selection; elsewhere it selects the cell.
    if (!inSelection)
      this.host.selected(this.sheet, [{ r0: this.first.r0, c0: this.first.c0, r1: this.first.r0, c1: this.first.c0 }]);
  }
}

// ---------------------------------------------------------------------------------------------------

class SimFormatCondition implements WpsFormatCondition {
  constructor(
    private readonly host: WpsHost,
    private readonly sheet: SheetModel,
    readonly cf: SimConditionalFormat,
  ) {}

  get Type(): number {
    return CF_TYPES[this.cf.type] ?? xlExpression;
  }

  get Formula1(): string {
    return this.cf.formula;
  }

  get Interior(): { Color: number } {
    const { cf, host, sheet } = this;
    return host.wrap(
      {
        get Color(): number {
          // A rule without a fill reads as Null in WPS.
          return cf.fill ? bgr(cf.fill) : (null as unknown as number);
        },
        set Color(v: number) {
          host.assertFormatWritable(sheet);
          cf.fill = `#${hexOfBgr(Number(v))}`;
          host.changed();
        },
      },
      'Interior',
    );
  }

  get Font(): { Color: number; Bold: boolean } {
    const { cf, host, sheet } = this;
    return host.wrap(
      {
        get Color(): number {
          return cf.fontColor ? bgr(cf.fontColor) : (null as unknown as number);
        },
        set Color(v: number) {
          host.assertFormatWritable(sheet);
          cf.fontColor = `#${hexOfBgr(Number(v))}`;
          host.changed();
        },
        get Bold(): boolean {
          return conditionalBold.get(cf) ?? false;
        },
        set Bold(v: boolean) {
          host.assertFormatWritable(sheet);
          conditionalBold.set(cf, Boolean(v));
          host.changed();
        },
      },
      'Font',
    );
  }

  get AppliesTo(): WpsRange {
    return this.host.range(
      this.sheet,
      this.cf.areas.map((a) => ({ ...a })),
    );
  }

  Delete(): void {
    this.host.assertFormatWritable(this.sheet);
    this.host.model.deleteConditionalFormat(this.sheet, this.cf.id);
    this.host.changed();
  }
}

class SimFormatConditions implements WpsFormatConditions {
  constructor(
    private readonly host: WpsHost,
    private readonly range: SimRange,
  ) {}

  private list(): SimConditionalFormat[] {
    return this.host.model
      .conditionalFormatsIn(this.range.sheet, this.range.areas)
      .sort((a, b) => a.priority - b.priority);
  }

  get Count(): number {
    return this.list().length;
  }

  Item(index: number): WpsFormatCondition {
    const cf = this.list()[Number(index) - 1];
    if (!cf) throw wpsError('subscript', 9);
    return this.host.wrap(new SimFormatCondition(this.host, this.range.sheet, cf), 'FormatCondition');
  }

  Add(type: number, _operator?: number, formula1?: string): WpsFormatCondition {
    if (type !== xlExpression) throw new SimWpsError(5, `模拟宿主只支持 xlExpression 条件格式（收到 ${type}）。`);
    if (!formula1) throw new SimWpsError(5, '无效的过程调用或参数：缺少公式。');
    this.host.assertFormatWritable(this.range.sheet);
    const cf = this.host.model.addConditionalFormat(this.range.sheet, this.range.areas, 'Custom');
    cf.formula = formula1.startsWith('=') ? formula1 : `=${formula1}`;
    this.host.changed();
    return this.host.wrap(new SimFormatCondition(this.host, this.range.sheet, cf), 'FormatCondition');
  }

  AddDatabar(): WpsDatabar {
    const { host, range } = this;
    host.assertFormatWritable(range.sheet);
    const cf = host.model.addConditionalFormat(range.sheet, range.areas, 'DataBar');
    cf.dataBar = {};
    host.changed();
    // XlConditionValueTypes: 0 number, 1 lowest, 2 highest, 6 automatic minimum, 7 automatic maximum.
    const point = (key: 'lower' | 'upper') =>
      host.wrap(
        {
          Modify(type: number, value?: number): void {
            cf.dataBar ??= {};
            cf.dataBar[key] =
              Number(type) === 0
                ? { type: 'Number', formula: String(value) }
                : { type: key === 'lower' ? 'LowestValue' : 'HighestValue' };
            host.changed();
          },
        },
        'ConditionValue',
      );
    const bar = {
      BarColor: host.wrap(
        {
          get Color(): number {
            return bgr(cf.dataBar?.fillColor ?? '#638EC6');
          },
          set Color(v: number) {
            cf.dataBar ??= {};
            cf.dataBar.fillColor = `#${hexOfBgr(Number(v))}`;
            host.changed();
          },
        },
        'FormatColor',
      ),
      MinPoint: point('lower'),
      MaxPoint: point('upper'),
    };
    return host.wrap(bar, 'Databar');
  }
}

// ---------------------------------------------------------------------------------------------------

type DvModel = Record<string, any>;

/** Data validation over the ExcelJS sheet's dataValidations (keys: a cell `A1` or an area `A1:B2`). */
class SimValidation implements WpsValidation {
  constructor(
    private readonly host: WpsHost,
    private readonly range: SimRange,
  ) {}

  private get dvs(): DvModel {
    return (this.range.sheet.ws as unknown as { dataValidations: { model: DvModel } }).dataValidations.model;
  }

  private static areaOfKey(key: string): Area | null {
    const [p, q = p] = key.replace(/^range:/, '').split(':');
    const a = /^([A-Z]+)(\d+)$/.exec(p);
    const b = /^([A-Z]+)(\d+)$/.exec(q);
    if (!a || !b) return null;
    const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    return { r0: Number(a[2]) - 1, c0: col(a[1]), r1: Number(b[2]) - 1, c1: col(b[1]) };
  }

  /** The rule holding the range's top-left cell. */
  private current(): { key: string; dv: any } | null {
    const { r0, c0 } = this.range.areas[0];
    for (const [key, dv] of Object.entries(this.dvs)) {
      if (!dv) continue;
      const a = SimValidation.areaOfKey(key);
      if (a && r0 >= a.r0 && r0 <= a.r1 && c0 >= a.c0 && c0 <= a.c1) return { key, dv };
    }
    return null;
  }

  Add(type: number, alertStyle?: number, operator?: number, formula1?: string, formula2?: string): void {
    const sheet = this.range.sheet;
    this.host.assertLive(sheet);
    this.host.assertFormatWritable(sheet);
    for (const a of this.range.areas) {
      for (const [key, dv] of Object.entries(this.dvs)) {
        const b = dv ? SimValidation.areaOfKey(key) : null;
        if (b && intersection(a, b)) throw wpsError('validationExists');
      }
    }
    const strip = (f: unknown) => (typeof f === 'string' ? f.replace(/^=/, '') : f);
    const ops: Record<number, string> = {
      1: 'between',
      2: 'notBetween',
      3: 'equal',
      4: 'notEqual',
      5: 'greaterThan',
      6: 'lessThan',
      7: 'greaterThanOrEqual',
      8: 'lessThanOrEqual',
    };
    const style = alertStyle === 2 ? 'warning' : alertStyle === 3 ? 'information' : 'stop';
    let dv: any;
    if (type === xlValidateList) {
      if (formula1 === undefined) throw new SimWpsError(1004, '序列有效性需要来源（Formula1）。');
      dv = { type: 'list', formulae: [strip(formula1)] };
    } else if (type === xlValidateDecimal || type === xlValidateWholeNumber) {
      const op = ops[operator ?? 1];
      if (!op) throw new SimWpsError(1004, `无效的比较运算符 ${operator}。`);
      const formulae =
        (op === 'between' || op === 'notBetween') && formula2 !== undefined
          ? [strip(formula1), strip(formula2)]
          : [strip(formula1)];
      dv = { type: type === xlValidateDecimal ? 'decimal' : 'whole', operator: op, formulae };
    } else if (type === xlValidateInputOnly) {
      // 「任何值」: no rule, only the input message.
      dv = { type: 'any', formulae: [] };
    } else {
      throw new SimWpsError(1004, `模拟宿主不支持数据有效性类型 ${type}。`);
    }
    dv.allowBlank = true;
    dv.showInputMessage = true;
    dv.showErrorMessage = true;
    dv.errorStyle = style;
    for (const a of this.range.areas) {
      const key =
        a.r0 === a.r1 && a.c0 === a.c1
          ? addressOf(a, false, false)
          : `${addressOf({ ...a, r1: a.r0, c1: a.c0 }, false, false)}:${addressOf({ ...a, r0: a.r1, c0: a.c1 }, false, false)}`;
      this.dvs[key] = { ...dv, formulae: [...dv.formulae] };
    }
    this.host.changed();
  }

  Delete(): void {
    const sheet = this.range.sheet;
    this.host.assertLive(sheet);
    this.host.assertFormatWritable(sheet);
    const dvs = this.dvs;
    for (const [key, dv] of Object.entries(dvs)) {
      const b = dv ? SimValidation.areaOfKey(key) : null;
      if (!b || !this.range.areas.some((a) => intersection(a, b))) continue;
      delete dvs[key];
      // Cells of the rule outside the range keep it, one key per cell.
      if (areaSize(b) > WRITE_LIMIT) continue;
      for (let r = b.r0; r <= b.r1; r++) {
        for (let c = b.c0; c <= b.c1; c++) {
          if (!this.range.areas.some((a) => r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1))
            dvs[addressOf({ r0: r, c0: c, r1: r, c1: c }, false, false)] = dv;
        }
      }
    }
    this.host.changed();
  }

  private prop<T>(read: (dv: any) => T, write: (dv: any, v: T) => void) {
    return {
      get: (): T => {
        const cur = this.current();
        if (!cur) throw wpsError('noValidation');
        return read(cur.dv);
      },
      set: (v: T) => {
        this.host.assertFormatWritable(this.range.sheet);
        const cur = this.current();
        if (!cur) throw wpsError('noValidation');
        // Rules read from a file are shared between cells: change a copy for every key holding it.
        const next = { ...cur.dv };
        write(next, v);
        for (const [key, dv] of Object.entries(this.dvs)) if (dv === cur.dv) this.dvs[key] = next;
        this.host.changed();
      },
    };
  }

  get IgnoreBlank(): boolean {
    return this.prop(
      (dv) => dv.allowBlank !== false,
      () => undefined,
    ).get();
  }
  set IgnoreBlank(v: boolean) {
    this.prop<boolean>(
      () => false,
      (dv, x) => (dv.allowBlank = Boolean(x)),
    ).set(v);
  }
  get InCellDropdown(): boolean {
    return this.prop(
      (dv) => dv.showDropDown !== true,
      () => undefined,
    ).get();
  }
  set InCellDropdown(v: boolean) {
    // OOXML's showDropDown="1" hides the arrow.
    this.prop<boolean>(
      () => false,
      (dv, x) => (x ? delete dv.showDropDown : (dv.showDropDown = true)),
    ).set(v);
  }
  get InputTitle(): string {
    return this.prop(
      (dv) => String(dv.promptTitle ?? ''),
      () => undefined,
    ).get();
  }
  set InputTitle(v: string) {
    this.prop<string>(
      () => '',
      (dv, x) => (dv.promptTitle = String(x)),
    ).set(v);
  }
  get InputMessage(): string {
    return this.prop(
      (dv) => String(dv.prompt ?? ''),
      () => undefined,
    ).get();
  }
  set InputMessage(v: string) {
    this.prop<string>(
      () => '',
      (dv, x) => (dv.prompt = String(x)),
    ).set(v);
  }
  get ErrorTitle(): string {
    return this.prop(
      (dv) => String(dv.errorTitle ?? ''),
      () => undefined,
    ).get();
  }
  set ErrorTitle(v: string) {
    this.prop<string>(
      () => '',
      (dv, x) => (dv.errorTitle = String(x)),
    ).set(v);
  }
  get ErrorMessage(): string {
    return this.prop(
      (dv) => String(dv.error ?? ''),
      () => undefined,
    ).get();
  }
  set ErrorMessage(v: string) {
    this.prop<string>(
      () => '',
      (dv, x) => (dv.error = String(x)),
    ).set(v);
  }
  get ShowInput(): boolean {
    return this.prop(
      (dv) => Boolean(dv.showInputMessage),
      () => undefined,
    ).get();
  }
  set ShowInput(v: boolean) {
    this.prop<boolean>(
      () => false,
      (dv, x) => (dv.showInputMessage = Boolean(x)),
    ).set(v);
  }
  get ShowError(): boolean {
    return this.prop(
      (dv) => Boolean(dv.showErrorMessage),
      () => undefined,
    ).get();
  }
  set ShowError(v: boolean) {
    this.prop<boolean>(
      () => false,
      (dv, x) => (dv.showErrorMessage = Boolean(x)),
    ).set(v);
  }
}
