/**
 * Reads an .xlsx package straight into the engine's grid: workbook, relationships, shared strings, number
 * formats, each worksheet's cells, formulas and merged areas, and the defined names that mark the add-in's
 * own sheets. It reads the part XML itself instead of going through ExcelJS, because what the engine needs
 * must be readable from every valid file in bounded time and memory:
 *   - ExcelJS refuses valid packages it cannot map (openpyxl's absolute relationship targets and unprefixed
 *     drawing XML: 「工作簿已损坏」 for a workbook with an image or a chart);
 *   - ExcelJS materialises every cell of a merged area and checks each new merge against all earlier ones
 *     (a whole-sheet merge runs out of memory; 20,000 merges take half a minute);
 *   - ExcelJS turns numbers in date-formatted cells into Date objects and back, which changes them
 *     (6.64 → 6.639999999999418).
 * The cells are read as the Office.js adapter (src/excel/read.ts) reads them, so the CLI and the add-in see
 * the same grid: empty text and value-less cells are absent, every member of an array formula carries the
 * array's formula, a shared formula's followers carry their own (slid) formula.
 */
import { Area, CellData, CellValue, colName, parseA1, parseAreaA1, SheetGrid, WorkbookGrid } from '../domain/grid';
import { draftSheetsFromNames, unreadSheetsFromNames } from '../domain/report/naming';
import { isDraftTitle } from '../domain/session';
import { cellText } from '../domain/text';
import { looksLikeOwnReport } from './own-report';
import { REL, XlsxPackage } from './package';
import { decodeXstring, scanXml } from './xml';

/** Excel's limits (rows and columns, 0-based maxima): anything beyond is not a cell. */
const MAX_ROW = 1_048_575;
const MAX_COL = 16_383;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * Built-in number formats (ECMA-376 Part 1, 18.8.30), with the zh-CN forms of the East Asian ids, which is
 * what Excel shows (and the Office.js adapter reads) for a Chinese workbook.
 */
const BUILTIN_NUMFMT: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00',
  12: '# ?/?', 13: '# ??/??', 14: 'yyyy/m/d', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'yyyy/m/d h:mm', 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"',
  29: 'm"月"d"日"', 30: 'm-d-yy', 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"', 37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)', 45: 'mm:ss',
  46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

async function readSharedStrings(pkg: XlsxPackage, part: string | undefined): Promise<string[]> {
  const xml = part ? await pkg.text(part) : undefined;
  if (xml === undefined) return [];
  const out: string[] = [];
  let cur: string[] | null = null;
  let inT = false;
  let phonetic = 0;
  scanXml(xml, {
    open(name, _a, self) {
      if (self) {
        if (name === 'si') out.push('');
        return;
      }
      if (name === 'si') cur = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inT = true;
    },
    close(name) {
      if (name === 'si' && cur) {
        out.push(decodeXstring(cur.join('')));
        cur = null;
      } else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 't') inT = false;
    },
    text(t) {
      if (inT && cur) cur.push(t);
    },
  });
  return out;
}

/** The number format of each cell style (`s` index into cellXfs). */
async function readNumFmts(pkg: XlsxPackage, part: string | undefined): Promise<(string | undefined)[]> {
  const xml = part ? await pkg.text(part) : undefined;
  if (xml === undefined) return [];
  const custom = new Map<number, string>();
  const ids: number[] = [];
  let inXfs = false;
  scanXml(xml, {
    open(name, a, self) {
      if (name === 'numFmt') {
        const id = Number(a.get('numFmtId'));
        const code = a.get('formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (name === 'cellXfs' && !self) inXfs = true;
      else if (name === 'xf' && inXfs) {
        const id = Number(a.get('numFmtId') ?? 0);
        ids.push(Number.isInteger(id) ? id : 0);
      }
    },
    close(name) {
      if (name === 'cellXfs') inXfs = false;
    },
  });
  return ids.map((id) => custom.get(id) ?? BUILTIN_NUMFMT[id]);
}

interface SheetRef {
  name: string;
  part: string;
}

interface WorkbookInfo {
  sheets: SheetRef[];
  names: { name: string; ref: string }[];
  sharedStrings?: string;
  styles?: string;
}

async function readWorkbookInfo(pkg: XlsxPackage, wbPart: string): Promise<WorkbookInfo> {
  const xml = (await pkg.text(wbPart)) ?? '';
  const rels = await pkg.rels(wbPart);
  const byId = new Map(rels.map((r) => [r.id, r]));
  const sheets: SheetRef[] = [];
  const names: { name: string; ref: string }[] = [];
  let dn: { name: string; text: string[] } | null = null;
  scanXml(xml, {
    open(name, a, self) {
      if (name === 'sheet') {
        const rel = byId.get(a.getPrefixed('id') ?? a.get('id') ?? '');
        // Chart sheets, dialog and macro sheets have no cells for the engine.
        if (rel && rel.type === REL.worksheet && !rel.external && pkg.entry(rel.target)) {
          sheets.push({ name: a.get('name') ?? `Sheet${sheets.length + 1}`, part: rel.target });
        }
      } else if (name === 'definedName' && !self) dn = { name: a.get('name') ?? '', text: [] };
    },
    close(name) {
      if (name === 'definedName' && dn) {
        names.push({ name: dn.name, ref: dn.text.join('') });
        dn = null;
      }
    },
    text(t) {
      dn?.text.push(t);
    },
  });
  const find = (type: string) => rels.find((r) => r.type === type && !r.external && pkg.entry(r.target))?.target;
  return { sheets, names, sharedStrings: find(REL.sharedStrings), styles: find(REL.styles) };
}

function isoToSerial(s: string): number | string {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  return Number.isFinite(t) ? (t - EXCEL_EPOCH_MS) / 86_400_000 : s;
}

/** A decimal number as ST_Xstring holds one for a numeric cell (`-1.5`, `.5`, `2E-3`): no hex, no NaN or Infinity. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What a numeric cell's empty `<v>` is handed to the engine as: text it cannot take for a number or a blank. */
export const EMPTY_NUMBER_TEXT = '（空的数值）';

/**
 * A numeric cell's value (`t="n"` or no type). A finite decimal is a number. Anything else the file holds —
 * `1e309` (beyond a double), `NaN`, `Infinity`, `0x1A` (JavaScript would read 26), `1,234` — is handed to the
 * engine as the text it is, so that it is never a blank, never a number nobody wrote, and the engine's
 * handling of text in a number field applies. An empty `<v>` is no value of a formula (it has not been
 * computed), and on a constant cell the text EMPTY_NUMBER_TEXT, not a blank.
 */
function numericValue(vt: string | undefined, formula: boolean): CellValue {
  if (vt === undefined) return null;
  const t = vt.trim();
  if (t === '') return formula ? null : EMPTY_NUMBER_TEXT;
  if (DECIMAL.test(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  return vt;
}

/** The extent of a sheet: the bounding box of every cell element in it, styled-only cells included. */
export interface SheetExtent {
  rows: number;
  cols: number;
}

export interface ParsedSheet {
  rows: (CellData | undefined)[][];
  merges: Area[];
  extent: SheetExtent;
}

/** Parses one worksheet part's XML. Exposed for tests. */
export function parseSheetXml(xml: string, sst: readonly string[], numFmts: readonly (string | undefined)[]): ParsedSheet {
  const rows: (CellData | undefined)[][] = [];
  const merges: Area[] = [];
  const shared = new Map<string, { formula: string; at: { r: number; c: number } }>();
  const arrays: { area: Area; formula: string }[] = [];
  let maxRow = -1;
  let maxCol = -1;
  let inData = false;
  let row = -1;
  let col = -1;
  // The cell being read.
  let inCell = false;
  let type = '';
  let style = 0;
  let v: string[] | null = null;
  let f: string[] | null = null;
  let fAttrs: { t?: string; si?: string; ref?: string } = {};
  let isText: string[] | null = null;
  let inIs = false;
  let phonetic = 0;
  let collect: string[] | null = null;

  const finish = () => {
    if (row < 0 || row > MAX_ROW || col < 0 || col > MAX_COL) return;
    if (row > maxRow) maxRow = row;
    if (col > maxCol) maxCol = col;
    const vt = v ? v.join('') : undefined;
    let value: CellValue = null;
    switch (type) {
      case 's': {
        const i = vt === undefined ? NaN : Number(vt);
        value = Number.isInteger(i) && i >= 0 && i < sst.length ? sst[i] : null;
        break;
      }
      case 'inlineStr':
        value = isText ? decodeXstring(isText.join('')) : vt !== undefined ? decodeXstring(vt) : null;
        break;
      case 'str':
        value = vt !== undefined ? decodeXstring(vt) : null;
        break;
      case 'b':
        value = vt === undefined ? null : vt.trim() === '1' || vt.trim().toLowerCase() === 'true';
        break;
      case 'e':
        value = vt === undefined ? null : { error: vt.trim() };
        break;
      case 'd':
        value = vt === undefined || vt.trim() === '' ? null : isoToSerial(vt.trim());
        break;
      default:
        value = numericValue(vt, f !== null);
    }
    if (value === '') value = null;
    let formula: string | undefined;
    const ft = f ? f.join('').trim() : '';
    if (ft) {
      formula = ft;
      if (fAttrs.t === 'shared' && fAttrs.si !== undefined) shared.set(fAttrs.si, { formula: ft, at: { r: row, c: col } });
      if (fAttrs.t === 'array' && fAttrs.ref) {
        const area = parseAreaA1(fAttrs.ref);
        if (area) arrays.push({ area, formula: ft });
      }
    } else if (f && fAttrs.t === 'shared' && fAttrs.si !== undefined) {
      const master = shared.get(fAttrs.si);
      if (master) {
        formula = slideFormula(master.formula, master.at, { r: row, c: col });
      }
    }
    const fmt = numFmts[style];
    if (value === null && !formula) return;
    const cell: CellData = { value };
    if (fmt && fmt !== 'General') cell.numFmt = fmt;
    if (formula) cell.formula = formula;
    (rows[row] ??= [])[col] = cell;
  };

  scanXml(xml, {
    open(name, a, self) {
      if (inCell) {
        if (self) {
          if (name === 'f') {
            f = [];
            fAttrs = { t: a.get('t'), si: a.get('si'), ref: a.get('ref') };
          }
          return;
        }
        if (name === 'v') collect = v = [];
        else if (name === 'f') {
          collect = f = [];
          fAttrs = { t: a.get('t'), si: a.get('si'), ref: a.get('ref') };
        } else if (name === 'is') {
          inIs = true;
          isText = [];
        } else if (name === 'rPh') phonetic++;
        else if (name === 't' && inIs && phonetic === 0) collect = isText;
        return;
      }
      switch (name) {
        case 'sheetData':
          if (!self) inData = true;
          break;
        case 'row':
          if (!inData) break;
          {
            const r = Number(a.get('r'));
            row = Number.isInteger(r) && r >= 1 ? r - 1 : row + 1;
            col = -1;
          }
          break;
        case 'c': {
          if (!inData) break;
          const ref = a.get('r');
          const p = ref ? parseA1(ref) : null;
          if (p) {
            // The cell's own reference is authoritative (a row element may omit or misstate its number).
            row = p.r;
            col = p.c;
          } else col += 1;
          if (row < 0) row = 0;
          type = a.get('t') ?? '';
          const s = Number(a.get('s') ?? 0);
          style = Number.isInteger(s) && s >= 0 ? s : 0;
          v = f = isText = null;
          fAttrs = {};
          inIs = false;
          phonetic = 0;
          if (self) finish();
          else inCell = true;
          break;
        }
        case 'mergeCell': {
          const area = parseAreaA1(a.get('ref') ?? '');
          if (area) merges.push(area);
          break;
        }
      }
    },
    close(name) {
      if (inCell) {
        if (name === 'c') {
          inCell = false;
          collect = null;
          finish();
        } else if (name === 'v' || name === 'f' || (name === 't' && collect === isText)) collect = null;
        else if (name === 'is') inIs = false;
        else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
        return;
      }
      if (name === 'sheetData') inData = false;
    },
    text(t) {
      if (collect) collect.push(t);
    },
  });

  // Every member of an array formula carries the array's formula, as Office.js reports it.
  for (const { area, formula } of arrays) {
    for (let r = area.r0; r <= Math.min(area.r1, rows.length - 1); r++) {
      const cells = rows[r];
      if (!cells) continue;
      for (let c = area.c0; c <= Math.min(area.c1, cells.length - 1); c++) {
        const cell = cells[c];
        if (cell && !cell.formula) cell.formula = formula;
      }
    }
  }
  return { rows, merges, extent: { rows: maxRow + 1, cols: maxCol + 1 } };
}

const SLIDE_CANDIDATE = /(([a-z_\-0-9]*)!)?([a-z0-9_$]{2,})([(])?/gi;
const CELL_REF = /^([$])?([a-z]{1,3})([$])?([1-9][0-9]{0,6})$/i;

/**
 * A shared formula's text as seen from one of its followers: relative references move by the offset from
 * the master cell (the rule ExcelJS's `slideFormula` applies; names and function calls are left alone).
 */
export function slideFormula(formula: string, from: { r: number; c: number }, to: { r: number; c: number }): string {
  return formula.replace(SLIDE_CANDIDATE, (whole, sheet: string | undefined, _s, addr: string, paren: string | undefined) => {
    if (paren) return whole;
    const m = CELL_REF.exec(addr);
    if (!m) return whole;
    const letters = m[2].toUpperCase();
    if (letters.length === 3 && letters > 'XFD') return whole;
    let c = 0;
    for (const ch of letters) c = c * 26 + (ch.charCodeAt(0) - 64);
    c -= 1;
    let r = parseInt(m[4], 10) - 1;
    if (!m[1]) c += to.c - from.c;
    if (!m[3]) r += to.r - from.r;
    if (c < 0 || r < 0) return '#REF!';
    return `${sheet ?? ''}${m[1] ?? ''}${colName(c)}${m[3] ?? ''}${r + 1}`;
  });
}

export interface PackageSheet {
  name: string;
  /** The worksheet's part name in the package. */
  part: string;
  grid: SheetGrid;
  /** True for the add-in's own report sheets (a marker name points at them and they read as a report). */
  addin: boolean;
  /**
   * True for the add-in's own 自评报告 draft (a draft marker points at it and A1 holds the draft's title): read
   * as a sheet like any other (its prompts are D01), and the sheet a new draft replaces.
   */
  ownDraft?: boolean;
}

export interface ReadResult {
  /** The workbook as the engine sees it: every sheet but the add-in's own report sheets. */
  grid: WorkbookGrid;
  /** Every worksheet, in workbook order (the add-in's sheets only when asked for). */
  sheets: PackageSheet[];
  /** The defined names, as written (`ref` is the formula text). */
  names: { name: string; ref: string }[];
}

/**
 * Reads a whole workbook package into the engine's grid. With `includeAddinSheets`, the add-in's own report
 * sheets are read too (into `sheets`, never into `grid`).
 */
export async function readPackageGrid(pkg: XlsxPackage, fileName?: string, includeAddinSheets = false): Promise<ReadResult> {
  const wbPart = (await pkg.workbookPart())!;
  const info = await readWorkbookInfo(pkg, wbPart);
  const sst = await readSharedStrings(pkg, info.sharedStrings ?? (pkg.entry('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : undefined));
  const numFmts = await readNumFmts(pkg, info.styles ?? (pkg.entry('xl/styles.xml') ? 'xl/styles.xml' : undefined));
  // Report markers only: the 自评报告 draft is read (its prompts are D01).
  const marked = new Set(unreadSheetsFromNames(info.names));
  const drafts = new Set(draftSheetsFromNames(info.names));
  const sheets: PackageSheet[] = [];
  for (const s of info.sheets) {
    const xml = (await pkg.text(s.part)) ?? '';
    const parsed = parseSheetXml(xml, sst, numFmts);
    const grid = new SheetGrid(s.name, parsed.rows, parsed.merges, parsed.extent);
    // A marker left pointing at a user's own sheet of the report's name does not make it the add-in's.
    const addin = marked.has(s.name) && looksLikeOwnReport(grid);
    if (addin && !includeAddinSheets) continue;
    const ownDraft = drafts.has(s.name) && isDraftTitle(cellText(grid.raw(0, 0)));
    sheets.push({ name: s.name, part: s.part, addin, grid, ...(ownDraft ? { ownDraft } : {}) });
  }
  const grid = { fileName, sheets: sheets.filter((s) => !s.addin).map((s) => s.grid), draftSheets: draftSheetsFromNames(info.names) };
  return { grid, sheets, names: info.names };
}
