/**
 * The in-memory workbook behind the simulated Excel host: an ExcelJS workbook plus what Excel keeps beside
 * the cells (worksheet ids, conditional formats as Excel's API sees them, settings, selection).
 * Cell reads and writes follow the Excel JS API's conventions (empty cells read as "", errors as "#DIV/0!",
 * dates as serial numbers, text starting with "=" written through `values` becomes a formula, …).
 */
import ExcelJS from 'exceljs';
import { Area, colName, parseAreaA1 } from '../domain/grid';
import { intersects } from '../excel/address';

export type OfficeValue = string | number | boolean;

export interface SimConditionalFormat {
  id: string;
  /** Excel API type name: Custom, CellValue, DataBar, ColorScale, IconSet, … */
  type: string;
  areas: Area[];
  /** Custom rule formula with its leading `=` (Custom only). */
  formula: string;
  fill: string | null;
  fontColor: string | null;
  /** Bold font (`conditionalFormat.custom.format.font.bold`). */
  bold?: boolean;
  priority: number;
  stopIfTrue: boolean;
  /** The ExcelJS rule this format was read from (kept verbatim so saving round-trips it). */
  raw?: unknown;
  /** DataBar settings written through the API (`conditionalFormat.dataBar`). */
  dataBar?: {
    lower?: { type?: string; formula?: string };
    upper?: { type?: string; formula?: string };
    fillColor?: string;
    gradientFill?: boolean;
    showDataBarOnly?: boolean;
  };
}

export interface SheetModel {
  id: string;
  ws: ExcelJS.Worksheet;
  cfs: SimConditionalFormat[];
  usedCache?: { all: Area | null; valuesOnly: Area | null };
}

export interface CellRead {
  value: OfficeValue;
  formula: string | null;
  numFmt: string;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PERCENT = /^[+-]?(\d+\.?\d*|\.\d+)%$/;

const CF_TYPES: Record<string, string> = {
  expression: 'Custom',
  cellIs: 'CellValue',
  dataBar: 'DataBar',
  colorScale: 'ColorScale',
  iconSet: 'IconSet',
  top10: 'TopBottom',
  aboveAverage: 'PresetCriteria',
  containsText: 'ContainsText',
  timePeriod: 'PresetCriteria',
};

function argbToHex(argb: unknown): string | null {
  if (typeof argb !== 'string') return null;
  const s = argb.length === 8 ? argb.slice(2) : argb;
  return `#${s.toUpperCase()}`;
}

function hexToArgb(hex: string): string {
  const h = hex.replace('#', '').toUpperCase();
  return h.length === 6 ? `FF${h}` : h;
}

export function convertExcelJsValue(v: ExcelJS.CellValue): OfficeValue {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return (v.getTime() - EXCEL_EPOCH_MS) / 86_400_000;
  const o = v as unknown as Record<string, unknown>;
  if (typeof o.error === 'string') return o.error;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
  if ('formula' in o || 'sharedFormula' in o) {
    return o.result === undefined ? 0 : convertExcelJsValue(o.result as ExcelJS.CellValue);
  }
  if ('text' in o) return String(o.text);
  return String(v);
}

export class WorkbookModel {
  readonly wb: ExcelJS.Workbook;
  readonly sheets: SheetModel[] = [];
  readonly settings = new Map<string, string>();
  /**
   * Workbook-scoped names that hold a constant (`="hebei"`), which ExcelJS cannot keep: by name, with
   * whether Excel shows them in the Name Manager. Saved into xl/workbook.xml by SimExcel.save().
   */
  readonly constantNames = new Map<string, { formula: string; visible: boolean }>();
  /** Ids of protected sheets: writing to their cells or conditional formats fails with AccessDenied. */
  readonly protectedSheets = new Set<string>();
  activeSheetId: string;
  selection: { sheetId: string; area: Area } | null = null;
  private cfSeq = 0;

  constructor(wb: ExcelJS.Workbook) {
    this.wb = wb;
    let n = 0;
    wb.eachSheet((ws) => {
      n++;
      const id = `{00000000-0001-0000-C000-${String(n).padStart(12, '0')}}`;
      this.sheets.push({ id, ws, cfs: this.importConditionalFormats(ws) });
    });
    if (this.sheets.length === 0) {
      const ws = wb.addWorksheet('Sheet1');
      this.sheets.push({ id: '{00000000-0001-0000-C000-000000000001}', ws, cfs: [] });
    }
    this.activeSheetId = this.sheets[0].id;
  }

  private nextCfId(): string {
    this.cfSeq++;
    return `{CF000000-0000-0000-0000-${String(this.cfSeq).padStart(12, '0')}}`;
  }

  private importConditionalFormats(ws: ExcelJS.Worksheet): SimConditionalFormat[] {
    const out: SimConditionalFormat[] = [];
    const list = (ws as unknown as { conditionalFormattings?: { ref: string; rules: Record<string, unknown>[] }[] })
      .conditionalFormattings;
    for (const cf of list ?? []) {
      const areas = cf.ref
        .split(/\s+/)
        .map((r) => parseAreaA1(r))
        .filter((a): a is Area => a !== null);
      for (const rule of cf.rules ?? []) {
        const style = (rule.style ?? {}) as { fill?: { bgColor?: { argb?: string }; fgColor?: { argb?: string } }; font?: { color?: { argb?: string } } };
        const formulae = rule.formulae as string[] | undefined;
        out.push({
          id: this.nextCfId(),
          type: CF_TYPES[String(rule.type)] ?? 'Custom',
          areas,
          formula: formulae && formulae.length ? `=${formulae[0]}` : '',
          fill: argbToHex(style.fill?.bgColor?.argb ?? style.fill?.fgColor?.argb),
          fontColor: argbToHex(style.font?.color?.argb),
          priority: typeof rule.priority === 'number' ? rule.priority : 0,
          stopIfTrue: Boolean(rule.stopIfTrue),
          raw: { ref: cf.ref, rule },
        });
      }
    }
    // Excel's API numbers priorities from 0 (highest) without gaps.
    out.sort((a, b) => a.priority - b.priority).forEach((cf, i) => (cf.priority = i));
    return out;
  }

  sheetByKey(key: string): SheetModel | undefined {
    return this.sheets.find((s) => s.id === key) ?? this.sheets.find((s) => s.ws.name.toLowerCase() === key.toLowerCase());
  }

  sheetById(id: string): SheetModel | undefined {
    return this.sheets.find((s) => s.id === id);
  }

  /** Merged areas of a sheet, 0-based. */
  merges(sheet: SheetModel): Area[] {
    const dict = (sheet.ws as unknown as { _merges: Record<string, { top: number; left: number; bottom: number; right: number }> })._merges;
    return Object.values(dict ?? {}).map((m) => ({ r0: m.top - 1, c0: m.left - 1, r1: m.bottom - 1, c1: m.right - 1 }));
  }

  readCell(sheet: SheetModel, r: number, c: number): CellRead {
    const cell = sheet.ws.findCell(r + 1, c + 1);
    if (!cell) return { value: '', formula: null, numFmt: 'General' };
    const numFmt = cell.numFmt && cell.numFmt !== '' ? cell.numFmt : 'General';
    if (cell.type === ExcelJS.ValueType.Merge) return { value: '', formula: null, numFmt };
    const v = cell.value;
    let formula: string | null = null;
    if (cell.type === ExcelJS.ValueType.Formula) {
      const f = cell.formula;
      formula = f ? `=${f}` : null;
    }
    // Every cell of an array formula shows the array's formula, as Excel reports it (ExcelJS keeps the
    // formula on the top-left cell only).
    if (formula === null) formula = this.arrayFormulaAt(sheet, r, c);
    return { value: convertExcelJsValue(v), formula, numFmt };
  }

  private readonly arrays = new WeakMap<SheetModel, { stamp: object; list: { area: Area; formula: string }[] }>();

  /** The formula of the array formula covering (r, c), or null. */
  arrayFormulaAt(sheet: SheetModel, r: number, c: number): string | null {
    this.usedArea(sheet, false); // (re)fills sheet.usedCache, which every write drops
    const stamp = sheet.usedCache as object;
    let hit = this.arrays.get(sheet);
    if (!hit || hit.stamp !== stamp) {
      const list: { area: Area; formula: string }[] = [];
      sheet.ws.eachRow({ includeEmpty: false }, (row, rn) => {
        row.eachCell({ includeEmpty: false }, (cell, cn) => {
          const x = cell.value as { shareType?: string; ref?: string; formula?: string } | null;
          if (x && typeof x === 'object' && x.shareType === 'array' && x.ref && x.formula) {
            const a = parseAreaA1(x.ref) ?? { r0: rn - 1, c0: cn - 1, r1: rn - 1, c1: cn - 1 };
            list.push({ area: a, formula: `=${x.formula}` });
          }
        });
      });
      hit = { stamp, list };
      this.arrays.set(sheet, hit);
    }
    const f = hit.list.find((x) => r >= x.area.r0 && r <= x.area.r1 && c >= x.area.c0 && c <= x.area.c1);
    return f ? f.formula : null;
  }

  private invalidate(sheet: SheetModel): void {
    sheet.usedCache = undefined;
  }

  private isSlave(sheet: SheetModel, r: number, c: number): boolean {
    const cell = sheet.ws.findCell(r + 1, c + 1);
    return !!cell && cell.type === ExcelJS.ValueType.Merge;
  }

  /**
   * Where a write to (r, c) lands. Outside a merged area: the cell itself. Inside one, the merged area shows
   * only its top-left cell's value ("The value of a merged range is specified in the cell of the range's
   * upper-left corner", Range.Merge, Excel VBA reference), and a write to a hidden cell goes to that
   * top-left cell, as a value typed into a merged cell does in Excel and as ExcelJS (the CLI's writer) does.
   * Office does not document what `range.values` does for a hidden cell, and reports differ (a write that is
   * not retained: sbroenne/mcp-server-excel#831); the simulator takes the outcome that can destroy what the
   * user sees, so that a test of the add-in fails whenever it writes into a merge holding a user's input.
   * A write whose own range includes the top-left cell sets it from there, and its hidden cells are ignored.
   */
  private writeTarget(sheet: SheetModel, r: number, c: number, writeArea?: Area): { r: number; c: number } | null {
    if (!this.isSlave(sheet, r, c)) return { r, c };
    const m = this.merges(sheet).find((a) => r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1);
    if (!m) return null;
    const anchorInWrite = writeArea && m.r0 >= writeArea.r0 && m.r0 <= writeArea.r1 && m.c0 >= writeArea.c0 && m.c0 <= writeArea.c1;
    return anchorInWrite ? null : { r: m.r0, c: m.c0 };
  }

  /** Writes one cell the way `range.values = …` (or typing into the cell) does in Excel. */
  writeValue(sheet: SheetModel, r0: number, c0: number, v: unknown, writeArea?: Area): void {
    const at = this.writeTarget(sheet, r0, c0, writeArea);
    if (!at) return;
    const { r, c } = at;
    const cell = sheet.ws.getCell(r + 1, c + 1);
    this.invalidate(sheet);
    if (v === null || v === undefined || v === '') {
      cell.value = null;
      return;
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
      cell.value = v;
      return;
    }
    const s = String(v);
    if (s.startsWith("'")) {
      cell.value = s.slice(1); // quote prefix: stored as text
      return;
    }
    if (s.startsWith('=') && s.length > 1) {
      cell.value = { formula: s.slice(1), result: { error: '#NAME?' } } as ExcelJS.CellValue;
      return;
    }
    if ((s.startsWith('+') || s.startsWith('-')) && s.length > 1) {
      if (NUMERIC.test(s)) {
        cell.value = Number(s);
        return;
      }
      // Excel reads "-abc" / "+abc" as a formula that fails.
      cell.value = { formula: s.startsWith('+') ? s.slice(1) : s, result: { error: '#NAME?' } } as ExcelJS.CellValue;
      return;
    }
    if (NUMERIC.test(s.trim()) && (cell.numFmt ?? '') !== '@') {
      cell.value = Number(s.trim());
      return;
    }
    if (PERCENT.test(s.trim()) && (cell.numFmt ?? '') !== '@') {
      cell.value = Number(s.trim().slice(0, -1)) / 100;
      if (!cell.numFmt || cell.numFmt === 'General') setNumFmt(cell, s.includes('.') ? '0.00%' : '0%');
      return;
    }
    cell.value = s;
  }

  writeFormula(sheet: SheetModel, r: number, c: number, f: unknown, writeArea?: Area): void {
    if (typeof f === 'string' && f.startsWith('=') && f.length > 1) {
      const at = this.writeTarget(sheet, r, c, writeArea);
      if (!at) return;
      this.invalidate(sheet);
      sheet.ws.getCell(at.r + 1, at.c + 1).value = { formula: f.slice(1) } as ExcelJS.CellValue;
    } else this.writeValue(sheet, r, c, f, writeArea);
  }

  writeNumberFormat(sheet: SheetModel, r: number, c: number, fmt: unknown): void {
    if (typeof fmt !== 'string' || fmt === '') return;
    this.invalidate(sheet);
    setNumFmt(sheet.ws.getCell(r + 1, c + 1), fmt);
  }

  /** Excel's used range: the bounding box of cells with values (and, unless valuesOnly, with formats). */
  usedArea(sheet: SheetModel, valuesOnly: boolean): Area | null {
    if (!sheet.usedCache) {
      let all: Area | null = null;
      let vals: Area | null = null;
      const grow = (a: Area | null, r: number, c: number): Area =>
        a ? { r0: Math.min(a.r0, r), c0: Math.min(a.c0, c), r1: Math.max(a.r1, r), c1: Math.max(a.c1, c) } : { r0: r, c0: c, r1: r, c1: c };
      sheet.ws.eachRow({ includeEmpty: false }, (row, rn) => {
        row.eachCell({ includeEmpty: false }, (cell, cn) => {
          const hasValue = cell.type !== ExcelJS.ValueType.Merge && cell.type !== ExcelJS.ValueType.Null;
          if (hasValue) vals = grow(vals, rn - 1, cn - 1);
          all = grow(all, rn - 1, cn - 1);
        });
      });
      for (const m of this.merges(sheet)) {
        all = grow(grow(all, m.r0, m.c0), m.r1, m.c1);
      }
      sheet.usedCache = { all, valuesOnly: vals };
    }
    return valuesOnly ? sheet.usedCache.valuesOnly : sheet.usedCache.all;
  }

  conditionalFormatsIn(sheet: SheetModel, areas: Area[]): SimConditionalFormat[] {
    return sheet.cfs.filter((cf) => cf.areas.some((a) => areas.some((b) => intersects(a, b))));
  }

  addConditionalFormat(sheet: SheetModel, areas: Area[], type: string): SimConditionalFormat {
    for (const cf of sheet.cfs) cf.priority++;
    const cf: SimConditionalFormat = {
      id: this.nextCfId(),
      type,
      areas: areas.map((a) => ({ ...a })),
      formula: '',
      fill: null,
      fontColor: null,
      priority: 0,
      stopIfTrue: false,
    };
    sheet.cfs.unshift(cf);
    return cf;
  }

  deleteConditionalFormat(sheet: SheetModel, id: string): void {
    const i = sheet.cfs.findIndex((c) => c.id === id);
    if (i < 0) return;
    const [gone] = sheet.cfs.splice(i, 1);
    for (const cf of sheet.cfs) if (cf.priority > gone.priority) cf.priority--;
  }

  /** Inserts empty rows above 0-based row `at`, shifting cells, merges and conditional formats down. */
  insertRows(sheet: SheetModel, at: number, count: number): void {
    const merges = this.merges(sheet);
    for (const m of merges) sheet.ws.unMergeCells(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
    const blanks: unknown[][] = Array.from({ length: count }, () => []);
    sheet.ws.spliceRows(at + 1, 0, ...blanks);
    for (const m of merges) {
      const shift = (r: number) => (r >= at ? r + count : r);
      // A merge spanning the insertion point grows, as in Excel.
      sheet.ws.mergeCells(shift(m.r0) + 1, m.c0 + 1, (m.r1 >= at ? m.r1 + count : m.r1) + 1, m.c1 + 1);
    }
    for (const cf of sheet.cfs) {
      cf.areas = cf.areas.map((a) => ({ ...a, r0: a.r0 >= at ? a.r0 + count : a.r0, r1: a.r1 >= at ? a.r1 + count : a.r1 }));
    }
    this.invalidate(sheet);
  }

  /** Writes the conditional formats back into ExcelJS (for saving). */
  exportConditionalFormats(): void {
    for (const sheet of this.sheets) {
      const list: { ref: string; rules: unknown[] }[] = [];
      const sorted = [...sheet.cfs].sort((a, b) => a.priority - b.priority);
      sorted.forEach((cf, i) => {
        if (cf.raw) {
          const raw = cf.raw as { ref: string; rule: Record<string, unknown> };
          list.push({ ref: raw.ref, rules: [{ ...raw.rule, priority: i + 1 }] });
          return;
        }
        const ref = cf.areas.map((a) => `${colName(a.c0)}${a.r0 + 1}:${colName(a.c1)}${a.r1 + 1}`).join(' ');
        if (cf.type === 'DataBar') {
          const bound = (b: { type?: string; formula?: string } | undefined, dflt: 'min' | 'max') =>
            b && b.type === 'Number' && b.formula !== undefined && !Number.isNaN(Number(b.formula))
              ? { type: 'num', value: Number(b.formula) }
              : { type: dflt };
          list.push({
            ref,
            rules: [
              {
                type: 'dataBar',
                priority: i + 1,
                minLength: 0,
                maxLength: 100,
                gradient: cf.dataBar?.gradientFill ?? false,
                border: false,
                showValue: !(cf.dataBar?.showDataBarOnly ?? false),
                cfvo: [bound(cf.dataBar?.lower, 'min'), bound(cf.dataBar?.upper, 'max')],
                color: { argb: hexToArgb(cf.dataBar?.fillColor ?? '#638EC6') },
              },
            ],
          });
          return;
        }
        if (cf.type !== 'Custom') return; // no other type can be created through the simulated API
        const style: Record<string, unknown> = {};
        if (cf.fill) style.fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: hexToArgb(cf.fill) } };
        if (cf.fontColor || cf.bold) {
          style.font = { ...(cf.fontColor ? { color: { argb: hexToArgb(cf.fontColor) } } : {}), ...(cf.bold ? { bold: true } : {}) };
        }
        list.push({
          ref,
          rules: [{ type: 'expression', formulae: [cf.formula.replace(/^=/, '')], style, priority: i + 1, stopIfTrue: cf.stopIfTrue }],
        });
      });
      (sheet.ws as unknown as { conditionalFormattings: unknown[] }).conditionalFormattings = list;
    }
  }
}

/** ExcelJS shares style objects between cells: copy before changing one cell's number format. */
function setNumFmt(cell: ExcelJS.Cell, fmt: string): void {
  cell.style = { ...cell.style, numFmt: fmt };
}

