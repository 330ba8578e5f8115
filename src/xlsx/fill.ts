/**
 * Write direction for files: applies the engine's computed cell edits to a copy of the .xlsx/.xlsm package.
 *
 * Surgical: only the computed cells' `<c>` elements change in their sheet parts. A number format the engine
 * asks for is applied through a new cell format appended to styles.xml (existing formats never change), and
 * when the workbook holds formulas, `fullCalcOnLoad` is set so that they recompute on open in Excel; the
 * formulas that read a filled cell also lose their (now stale) cached value — formula and style stay —
 * because LibreOffice ignores fullCalcOnLoad and would show the stale result. A formula it cannot trace
 * keeps its value (dropping it makes LibreOffice show Err:504 where the file showed a number). Every other part of the
 * package is copied unchanged; the output keeps the input's type (an .xlsm keeps its macros).
 *
 * Never written: a formula cell, a member of an array formula, a cell that shares a merged area with other
 * cells, a locked cell of a protected sheet, and — unless `overwrite` — a cell holding a value the user
 * stated that differs from the computed one (a published 总分 96 stays 96). Each is reported as skipped with
 * a Chinese reason; every value replaced under `overwrite` is listed in `replaced`.
 */
import { Area, parseA1, parseAreaA1 } from '../domain/grid';
import { CellEdit } from '../domain/types';
import { formulaRefs, Ref } from './package/deps';
import { OpcPackage } from './package/opc';
import { FormulaCell, hasAnyFormula, SheetXml, StyleLookup } from './package/sheet';
import { StylesXml } from './package/styles';
import { WorkbookXml } from './package/workbook';

export interface FillOutcome {
  applied: CellEdit[];
  skipped: { edit: CellEdit; reason: string }[];
  /** The applied edits that replaced a value the cell held (only with `overwrite`): `edit.current` is the old one. */
  replaced: CellEdit[];
}

export interface FillOptions {
  /** Replace values the user stated (a typed 总分 96) with the computed ones; by default they are kept and listed. */
  overwrite?: boolean;
}

/** Why --fill keeps a value the user stated, in Chinese. */
export function keptReason(current: string): string {
  return `单元格已有填写的值“${current}”，未覆盖（加 --overwrite 可改为计算结果）`;
}

export interface FillResult extends FillOutcome {
  /** The new package's bytes. */
  bytes: Uint8Array;
}

export async function fillXlsx(
  data: Uint8Array | ArrayBuffer,
  edits: readonly CellEdit[],
  fileName = '工作簿',
  options: FillOptions = {},
): Promise<FillResult> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const pkg = await OpcPackage.load(bytes, fileName);
  const wb = await WorkbookXml.load(pkg, fileName);
  const sheets = wb.sheets();
  const stylesPart = await WorkbookXml.stylesPart(pkg, wb.partName);
  const styles = stylesPart ? StylesXml.open(await pkg.read(stylesPart), stylesPart, fileName) : null;
  const lookup: StyleLookup = {
    isLocked: (xf) => (styles ? styles.xfInfo(xf).locked : true),
    styleFor: (xf, numFmt) => {
      if (!numFmt || !styles) return xf;
      return styles.isGeneral(styles.xfInfo(xf).numFmtId) ? styles.withNumFmt(xf, numFmt) : xf;
    },
  };

  const out: FillOutcome = { applied: [], skipped: [], replaced: [] };
  const bySheet = new Map<string, CellEdit[]>();
  for (const e of edits) {
    if (e.status === 'same') continue;
    // Only what the engine proposes to write is written ('empty', 'change'); anything else is reported.
    if (e.status !== 'empty' && e.status !== 'change') {
      out.skipped.push({
        edit: e,
        reason: e.status === 'formula' ? '单元格含公式，不覆盖' : e.status === 'merged' ? (e.reason ?? '合并单元格，不写入') : '计算引擎未建议写入此单元格',
      });
      continue;
    }
    // A value the user stated (their own 总分) is theirs: replaced only when asked.
    if (e.status === 'change' && !options.overwrite) {
      out.skipped.push({ edit: e, reason: keptReason(e.current) });
      continue;
    }
    const list = bySheet.get(e.sheet) ?? [];
    list.push(e);
    bySheet.set(e.sheet, list);
  }

  const parsed = new Map<string, SheetXml>();
  for (const [name, list] of bySheet) {
    const entry = sheets.find((s) => s.name === name);
    if (!entry || !entry.partName || !pkg.has(entry.partName)) {
      for (const e of list) out.skipped.push({ edit: e, reason: `找不到工作表“${name}”` });
      continue;
    }
    const sheet = new SheetXml(await pkg.read(entry.partName));
    parsed.set(entry.partName, sheet);
    for (const e of list) {
      const reason = sheet.write(e.cell, e.value, e.numFmt, lookup);
      if (reason) out.skipped.push({ edit: e, reason });
      else {
        out.applied.push(e);
        if (e.status === 'change') out.replaced.push(e);
      }
    }
  }

  if (out.applied.length > 0) {
    // Formulas that may read a filled cell hold stale cached results now.
    const all: { name: string; sheet: SheetXml }[] = [];
    for (const s of sheets) {
      if (!s.partName || !pkg.has(s.partName)) continue;
      let sheet = parsed.get(s.partName);
      if (!sheet) {
        const xml = await pkg.read(s.partName);
        if (!hasAnyFormula(xml)) continue;
        sheet = new SheetXml(xml);
        parsed.set(s.partName, sheet);
      }
      all.push({ name: s.name, sheet });
    }
    const stale = staleFormulas(all, out.applied, wb);
    for (const { sheet, row, col } of stale) sheet.dropCachedValue(row, col);
    if (all.some((x) => x.sheet.hasFormula)) {
      // Excel recomputes every formula on open; LibreOffice computes those without a cached value.
      const before = wb.xml;
      wb.setFullCalcOnLoad();
      if (wb.xml !== before) pkg.write(wb.partName, wb.xml);
    }
    if (styles && stylesPart && styles.changed) pkg.write(stylesPart, styles.xml);
  }
  for (const s of sheets) {
    const sheet = s.partName ? parsed.get(s.partName) : undefined;
    if (sheet?.changedAny) pkg.write(s.partName!, sheet.result());
  }
  return { ...out, bytes: await pkg.save() };
}

/**
 * The formula cells that read a filled cell, directly or through other formulas (across sheets and through
 * defined names). A formula whose references cannot be followed (INDIRECT, OFFSET, structured references,
 * names of other workbooks) is not among them: its dependence is unknown, so its stored value stays and the
 * workbook's full recalculation on load brings it up to date.
 */
function staleFormulas(all: { name: string; sheet: SheetXml }[], applied: readonly CellEdit[], wb: WorkbookXml) {
  const names = new Map<string, string>();
  for (const n of wb.definedNames()) {
    const k = n.name.toLowerCase();
    names.set(k, names.has(k) ? `${names.get(k)},${n.ref}` : n.ref);
  }
  const dirty = new Map<string, Area[]>();
  const mark = (sheet: string, a: Area) => {
    const k = sheet.toLowerCase();
    const list = dirty.get(k) ?? [];
    list.push(a);
    dirty.set(k, list);
  };
  for (const e of applied) {
    const p = parseA1(e.cell);
    if (p) mark(e.sheet, { r0: p.r, c0: p.c, r1: p.r, c1: p.c });
  }
  const overlaps = (x: Area, y: Area) => x.r0 <= y.r1 && y.r0 <= x.r1 && x.c0 <= y.c1 && y.c0 <= x.c1;
  type Entry = { name: string; sheet: SheetXml; f: FormulaCell; refs: Ref[] | null; done: boolean };
  const entries: Entry[] = [];
  for (const { name, sheet } of all) {
    const anchors = new Map<string, FormulaCell>();
    for (const f of sheet.formulas) if (f.type === 'shared' && f.si !== undefined && f.text) anchors.set(f.si, f);
    for (const f of sheet.formulas) {
      let refs: Ref[] | null;
      if (f.text) refs = formulaRefs(f.text, name, names);
      else {
        const a = f.si !== undefined ? anchors.get(f.si) : undefined;
        refs = a ? formulaRefs(a.text, name, names, f.row - a.row, f.col - a.col) : null;
      }
      entries.push({ name, sheet, f, refs, done: false });
    }
  }
  const stale: { sheet: SheetXml; row: number; col: number }[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of entries) {
      if (e.done) continue;
      // A formula whose references cannot be followed keeps its value: fullCalcOnLoad recomputes it in Excel,
      // and dropping it would show Err:504 / #NAME? in LibreOffice where the file showed a value.
      const hit = e.refs !== null && e.refs.some((r) => (dirty.get(r.sheet.toLowerCase()) ?? []).some((d) => overlaps(r.area, d)));
      if (!hit) continue;
      e.done = true;
      changed = true;
      stale.push({ sheet: e.sheet, row: e.f.row, col: e.f.col });
      const own = e.f.type === 'array' && e.f.ref ? parseAreaA1(e.f.ref) : null;
      mark(e.name, own ?? { r0: e.f.row, c0: e.f.col, r1: e.f.row, c1: e.f.col });
    }
  }
  return stale;
}
