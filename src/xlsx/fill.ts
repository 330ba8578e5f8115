/**
 * Write direction for files: applies the engine's computed cell edits to a copy of the .xlsx/.xlsm package.
 *
 * Surgical: only the computed cells' `<c>` elements change in their sheet parts. A number format the engine
 * asks for is applied through a new cell format appended to styles.xml (existing formats never change), and
 * when the workbook holds formulas, `fullCalcOnLoad` is set so that they recompute on open. Every other
 * part of the package is copied unchanged; the output keeps the input's type (an .xlsm keeps its macros).
 *
 * Never written: a formula cell, a member of an array formula, a cell that shares a merged area with other
 * cells, a locked cell of a protected sheet. Each is reported as skipped with a Chinese reason.
 */
import { CellEdit } from '../domain/types';
import { OpcPackage } from './package/opc';
import { hasAnyFormula, SheetXml, StyleLookup } from './package/sheet';
import { StylesXml } from './package/styles';
import { WorkbookXml } from './package/workbook';

export interface FillOutcome {
  applied: CellEdit[];
  skipped: { edit: CellEdit; reason: string }[];
}

export interface FillResult extends FillOutcome {
  /** The new package's bytes. */
  bytes: Uint8Array;
}

export async function fillXlsx(data: Uint8Array | ArrayBuffer, edits: readonly CellEdit[], fileName = '工作簿'): Promise<FillResult> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const pkg = await OpcPackage.load(bytes, fileName);
  const wb = await WorkbookXml.load(pkg, fileName);
  const sheets = wb.sheets();
  const stylesPart = await WorkbookXml.stylesPart(pkg, wb.partName);
  const styles = stylesPart ? new StylesXml(await pkg.read(stylesPart)) : null;
  const lookup: StyleLookup = {
    isLocked: (xf) => (styles ? styles.xfInfo(xf).locked : true),
    styleFor: (xf, numFmt) => {
      if (!numFmt || !styles) return xf;
      return styles.isGeneral(styles.xfInfo(xf).numFmtId) ? styles.withNumFmt(xf, numFmt) : xf;
    },
  };

  const out: FillOutcome = { applied: [], skipped: [] };
  const bySheet = new Map<string, CellEdit[]>();
  for (const e of edits) {
    if (e.status === 'same') continue;
    if (e.status === 'formula') {
      out.skipped.push({ edit: e, reason: '单元格含公式，不覆盖' });
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
      else out.applied.push(e);
    }
    if (sheet.changed) pkg.write(entry.partName, sheet.result());
  }

  if (out.applied.length > 0) {
    if (styles && stylesPart && styles.changed) pkg.write(stylesPart, styles.xml);
    // A formula anywhere may depend on a filled cell: have Excel/LibreOffice recompute on open.
    let formulas = false;
    for (const s of sheets) {
      if (!s.partName || !pkg.has(s.partName)) continue;
      const known = parsed.get(s.partName);
      if (known ? known.hasFormula : hasAnyFormula(await pkg.read(s.partName))) {
        formulas = true;
        break;
      }
    }
    if (formulas) {
      const before = wb.xml;
      wb.setFullCalcOnLoad();
      if (wb.xml !== before) pkg.write(wb.partName, wb.xml);
    }
  }
  return { ...out, bytes: await pkg.save() };
}
