/**
 * Grafts the single worksheet of a scratch package (written by ExcelJS) into a user's package, adding parts
 * and entries only: the sheet part, its content-type override, a workbook relationship, the `<sheet>` entry,
 * the scratch workbook's defined names (sheet-scoped ones re-pointed at the new sheet), and the styles the
 * sheet uses, appended to styles.xml with their indexes remapped. Shared strings become inline strings, so
 * sharedStrings.xml is not touched. Nothing else in the user's package changes.
 *
 * When `replaces` names a sheet the add-in wrote earlier, that sheet's part is rewritten in place (same
 * part, same `<sheet>` entry and position), its relationships are dropped with the parts only they used,
 * and the defined names scoped to it are replaced.
 */
import { InputError } from '../read';
import { OpcPackage, CT_WORKSHEET, REL_NS, REL_STYLES, REL_WORKSHEET, relsPartOf } from './opc';
import { foreignItems, StylesXml } from './styles';
import { DefinedName, WorkbookXml } from './workbook';
import {
  applySplices,
  attr,
  escapeXml,
  findElement,
  findElements,
  insertChildSplice,
  parseAttrs,
  rewriteStartTag,
  rootTag,
  scanTags,
  Splice,
} from './xml';

const CT_STYLES = 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml';

export interface GraftOptions {
  sheetName: string;
  /** A sheet the add-in wrote earlier, rewritten in place; null to add a new sheet. */
  replaces: string | null;
  /** Existing workbook-scoped names to drop (e.g. the add-in's stale markers). */
  dropName: (n: DefinedName) => boolean;
}

/** `<c t="s"><v>n</v></c>` → inline strings, from the scratch package's shared strings. */
function inlineSharedStrings(sheetXml: string, sstXml: string | null): string {
  const items = sstXml ? findElements(sstXml, 'si').map((e) => (e.tag.kind === 'empty' ? '' : sstXml.slice(e.tag.end, e.closeStart))) : [];
  const splices: Splice[] = [];
  for (const c of findElements(sheetXml, 'c')) {
    const a = parseAttrs(c.tag.attrText);
    if (attr(a, 't') !== 's' || c.tag.kind === 'empty') continue;
    const v = findElement(sheetXml, 'v', c.tag.end, c.closeStart);
    if (!v || v.tag.kind === 'empty') continue;
    const inner = items[Number(sheetXml.slice(v.tag.end, v.closeStart))] ?? '';
    const open = rewriteStartTag(c.tag, { t: 'inlineStr' });
    splices.push({ start: c.tag.start, end: c.end, text: `${open}<is>${inner}</is></c>` });
  }
  return applySplices(sheetXml, splices);
}

/** Rewrites style indexes in a sheet: `s` on c/row, `style` on col, `dxfId` on cfRule. */
function remapSheetStyles(sheetXml: string, xf: (i: number) => number, dxf: (i: number) => number): string {
  const splices: Splice[] = [];
  for (const t of scanTags(sheetXml)) {
    if (t.kind === 'close') continue;
    const key = t.local === 'c' || t.local === 'row' ? 's' : t.local === 'col' ? 'style' : t.local === 'cfRule' ? 'dxfId' : null;
    if (!key) continue;
    const v = attr(parseAttrs(t.attrText), key);
    if (v === undefined) continue;
    const n = key === 'dxfId' ? dxf(Number(v)) : xf(Number(v));
    if (n !== Number(v)) splices.push({ start: t.start, end: t.end, text: rewriteStartTag(t, { [key]: String(n) }) });
  }
  return applySplices(sheetXml, splices);
}

/** The xf / dxf indexes a sheet uses. */
function usedStyles(sheetXml: string): { xfs: Set<number>; dxfs: Set<number> } {
  const xfs = new Set<number>();
  const dxfs = new Set<number>();
  for (const t of scanTags(sheetXml)) {
    if (t.kind === 'close') continue;
    const a = parseAttrs(t.attrText);
    if (t.local === 'c' || t.local === 'row') {
      const s = attr(a, 's');
      if (s !== undefined) xfs.add(Number(s));
    } else if (t.local === 'col') {
      const s = attr(a, 'style');
      if (s !== undefined) xfs.add(Number(s));
    } else if (t.local === 'cfRule') {
      const d = attr(a, 'dxfId');
      if (d !== undefined) dxfs.add(Number(d));
    }
  }
  return { xfs, dxfs };
}

/** Appends the scratch styles a sheet uses to the target's styles; returns the index maps. */
function appendStyles(target: StylesXml, scratchStyles: string, used: { xfs: Set<number>; dxfs: Set<number> }) {
  const fonts = foreignItems(scratchStyles, 'fonts');
  const fills = foreignItems(scratchStyles, 'fills');
  const borders = foreignItems(scratchStyles, 'borders');
  const xfs = foreignItems(scratchStyles, 'cellXfs');
  const dxfs = foreignItems(scratchStyles, 'dxfs');
  const numFmts = new Map<number, string>();
  for (const n of foreignItems(scratchStyles, 'numFmts')) {
    const a = parseAttrs(rootTag(n)!.attrText);
    numFmts.set(Number(attr(a, 'numFmtId')), attr(a, 'formatCode') ?? 'General');
  }
  const xfList = [...used.xfs].filter((i) => i !== 0 && xfs[i] !== undefined).sort((a, b) => a - b);
  const need = { font: new Set<number>(), fill: new Set<number>(), border: new Set<number>() };
  const parsed = new Map<number, { tag: ReturnType<typeof rootTag>; fontId: number; fillId: number; borderId: number; numFmtId: number }>();
  for (const i of xfList) {
    const tag = rootTag(xfs[i])!;
    const a = parseAttrs(tag.attrText);
    const p = {
      tag,
      fontId: Number(attr(a, 'fontId') ?? 0),
      fillId: Number(attr(a, 'fillId') ?? 0),
      borderId: Number(attr(a, 'borderId') ?? 0),
      numFmtId: Number(attr(a, 'numFmtId') ?? 0),
    };
    parsed.set(i, p);
    need.font.add(p.fontId);
    // Fills 0 and 1 are the reserved none / gray125 in every styles part.
    if (p.fillId > 1) need.fill.add(p.fillId);
    need.border.add(p.borderId);
  }
  const mapOf = (local: string, items: string[], ids: Set<number>): Map<number, number> => {
    const list = [...ids].filter((i) => items[i] !== undefined).sort((a, b) => a - b);
    const m = new Map<number, number>();
    if (list.length === 0) return m;
    const first = target.append(local, list.map((i) => items[i]));
    list.forEach((i, k) => m.set(i, first + k));
    return m;
  };
  const fontMap = mapOf('fonts', fonts, need.font);
  const fillMap = mapOf('fills', fills, need.fill);
  const borderMap = mapOf('borders', borders, need.border);
  const xfTexts: string[] = [];
  for (const i of xfList) {
    const p = parsed.get(i)!;
    const numFmtId = p.numFmtId < 164 ? p.numFmtId : target.numFmtId(numFmts.get(p.numFmtId) ?? 'General');
    const open = rewriteStartTag(p.tag!, {
      numFmtId: String(numFmtId),
      fontId: String(fontMap.get(p.fontId) ?? 0),
      fillId: String(fillMap.get(p.fillId) ?? p.fillId),
      borderId: String(borderMap.get(p.borderId) ?? 0),
      xfId: '0',
    });
    xfTexts.push(open + xfs[i].slice(p.tag!.end));
  }
  const xfMap = new Map<number, number>();
  if (xfTexts.length) {
    const first = target.append('cellXfs', xfTexts);
    xfList.forEach((i, k) => xfMap.set(i, first + k));
  }
  const dxfMap = mapOf('dxfs', dxfs, used.dxfs);
  return { xf: (i: number) => xfMap.get(i) ?? 0, dxf: (i: number) => dxfMap.get(i) ?? i };
}

/** Removes a part's relationships file and the parts only it referenced (recursively). */
async function dropRelsOf(pkg: OpcPackage, partName: string): Promise<void> {
  const relsPart = relsPartOf(partName);
  if (!pkg.has(relsPart)) return;
  const targets = (await pkg.rels(partName)).filter((r) => r.partName && pkg.has(r.partName)).map((r) => r.partName!);
  pkg.remove(relsPart);
  // A target still referenced from any other .rels stays.
  const stillUsed = new Set<string>();
  for (const p of pkg.partNames()) {
    if (!p.endsWith('.rels')) continue;
    const source = p.replace(/_rels\/([^/]+)\.rels$/, '$1');
    for (const r of await pkg.rels(source === '/_rels/.rels' ? '/' : source)) if (r.partName) stillUsed.add(r.partName.toLowerCase());
  }
  for (const t of targets) {
    if (stillUsed.has(t.toLowerCase())) continue;
    await dropRelsOf(pkg, t);
    pkg.remove(t);
    await pkg.removeOverride(t);
  }
}

export async function graftSheet(pkg: OpcPackage, wb: WorkbookXml, scratchBytes: Uint8Array, opts: GraftOptions): Promise<void> {
  const scratch = await OpcPackage.load(scratchBytes);
  const sWb = await WorkbookXml.load(scratch);
  const sSheet = sWb.sheets()[0];
  if (!sSheet?.partName) throw new Error('scratch workbook has no sheet');
  const sStylesPart = await WorkbookXml.stylesPart(scratch, sWb.partName);
  const sStyles = sStylesPart ? await scratch.read(sStylesPart) : null;
  const sstRel = (await scratch.rels(sWb.partName)).find((r) => r.type.endsWith('/sharedStrings'));
  const sst = sstRel?.partName && scratch.has(sstRel.partName) ? await scratch.read(sstRel.partName) : null;
  if ((await scratch.rels(sSheet.partName)).length > 0) throw new Error('scratch sheet has relationships');
  let sheetXml = inlineSharedStrings(await scratch.read(sSheet.partName), sst);

  // Styles: appended to the user's styles.xml (or, when the package has none, the scratch one is added).
  const stylesPart = await WorkbookXml.stylesPart(pkg, wb.partName);
  if (sStyles) {
    if (stylesPart) {
      const styles = StylesXml.open(await pkg.read(stylesPart), stylesPart, pkg.fileName);
      const maps = appendStyles(styles, sStyles, usedStyles(sheetXml));
      sheetXml = remapSheetStyles(sheetXml, maps.xf, maps.dxf);
      pkg.write(stylesPart, styles.xml);
    } else {
      const part = freePart(pkg, '/xl/styles', '.xml');
      pkg.write(part, sStyles);
      await pkg.addOverride(part, CT_STYLES);
      await pkg.addRel(wb.partName, REL_STYLES, part);
      // The sheets already there used the default format: index 0 of the new part is the default too.
    }
  }

  const sheets = wb.sheets();
  const names = wb.definedNames();
  const old = opts.replaces ? sheets.find((s) => s.name === opts.replaces) : undefined;
  const splices: Splice[] = [];
  let index: number;
  if (old && !(old.partName && pkg.has(old.partName))) {
    throw new InputError(`本插件以前生成的工作表“${old.name}”已损坏（找不到它的内容），无法替换。请删除该工作表后重试。`);
  }
  if (old && old.partName) {
    index = old.index;
    await dropRelsOf(pkg, old.partName);
    pkg.write(old.partName, sheetXml);
  } else {
    index = sheets.length;
    const part = freePart(pkg, '/xl/worksheets/sheet', '.xml');
    pkg.write(part, sheetXml);
    await pkg.addOverride(part, CT_WORKSHEET);
    const relId = await pkg.addRel(wb.partName, REL_WORKSHEET, part);
    const sheetId = Math.max(0, ...sheets.map((s) => s.sheetId)) + 1;
    const p = wb.prefix;
    const relAttr = relIdAttr(wb);
    const entry = `<${p}sheet name="${escapeXml(opts.sheetName)}" sheetId="${sheetId}" ${relAttr}="${relId}"/>`;
    const list = wb.child('sheets');
    if (!list) throw new Error('workbook.xml has no sheets element');
    splices.push(insertChildSplice(wb.xml, list, entry, []));
  }

  // Defined names: drop the ones being replaced, add the scratch workbook's.
  const added = sWb.definedNames().map((n) => ({ name: n.name, ref: n.ref, localSheetId: n.localSheetId === null ? null : index }));
  for (const n of names) {
    const replacedLocal = n.localSheetId !== null && old !== undefined && n.localSheetId === index;
    // Excel refuses two names with one name and scope: an added one replaces it (the earlier marker).
    const same = added.some((a) => a.localSheetId === n.localSheetId && a.name.toLowerCase() === n.name.toLowerCase());
    if (replacedLocal || same || (n.localSheetId === null && opts.dropName(n))) {
      splices.push({ start: n.element.tag.start, end: n.element.end, text: '' });
    }
  }
  const add = wb.addDefinedNamesSplice(added);
  if (add) splices.push(add);
  wb.xml = applySplices(wb.xml, splices);
  pkg.write(wb.partName, wb.xml);
}

/**
 * The attribute text for a new `<sheet>`'s relationship id: `r:id` with the prefix the workbook root binds
 * to the relationships namespace, or with its own declaration when the root binds none (openpyxl declares
 * it on each `<sheet>`).
 */
function relIdAttr(wb: WorkbookXml): string {
  for (const a of parseAttrs(wb.root().tag.attrText)) if (a.name.startsWith('xmlns:') && a.value === REL_NS) return `${a.name.slice(6)}:id`;
  return `xmlns:r="${REL_NS}" r:id`;
}

function freePart(pkg: OpcPackage, stem: string, ext: string): string {
  for (let n = 1; ; n++) {
    const p = `${stem}${n}${ext}`;
    if (!pkg.has(p) && !pkg.has(relsPartOf(p))) return p;
  }
}

