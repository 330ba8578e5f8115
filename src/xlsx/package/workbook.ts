/**
 * workbook.xml, read and edited in place: the sheet list (names → parts), defined names, structure
 * protection, and the calculation settings.
 */
import { OpcPackage, REL_STYLES } from './opc';
import {
  applySplices,
  attr,
  childElements,
  elementText,
  Element,
  escapeXml,
  findElement,
  findElements,
  insertChildSplice,
  parseAttrs,
  rewriteStartTag,
  rootPrefix,
  Splice,
} from './xml';

export interface SheetEntry {
  name: string;
  sheetId: number;
  relId: string;
  /** The worksheet part, or null when the relationship is missing (or the sheet is a chartsheet etc.). */
  partName: string | null;
  /** 0-based position in <sheets> (what localSheetId counts). */
  index: number;
  element: Element;
}

export interface DefinedName {
  name: string;
  /** The formula text (decoded), without `=`. */
  ref: string;
  localSheetId: number | null;
  element: Element;
}

/** workbook.xml children in schema order (CT_Workbook). */
export const WORKBOOK_ORDER = [
  'fileVersion',
  'fileSharing',
  'workbookPr',
  'workbookProtection',
  'bookViews',
  'sheets',
  'functionGroups',
  'externalReferences',
  'definedNames',
  'calcPr',
  'oleSize',
  'customWorkbookViews',
  'pivotCaches',
  'smartTagPr',
  'smartTagTypes',
  'webPublishing',
  'fileRecoveryPr',
  'webPublishObjects',
  'extLst',
];

export function after(order: readonly string[], local: string): string[] {
  return order.slice(order.indexOf(local) + 1);
}

export class WorkbookXml {
  constructor(
    readonly partName: string,
    public xml: string,
    private readonly relParts: Map<string, string | null>,
  ) {}

  static async load(pkg: OpcPackage, fileName?: string): Promise<WorkbookXml> {
    const partName = await pkg.workbookPart(fileName);
    const xml = await pkg.read(partName);
    const rels = await pkg.rels(partName);
    return new WorkbookXml(partName, xml, new Map(rels.map((r) => [r.id, r.partName])));
  }

  get prefix(): string {
    return rootPrefix(this.xml);
  }

  root(): Element {
    const r = findElement(this.xml, 'workbook');
    if (!r) throw new Error('workbook.xml has no workbook element');
    return r;
  }

  child(local: string): Element | null {
    return childElements(this.xml, this.root()).find((c) => c.tag.local === local) ?? null;
  }

  sheets(): SheetEntry[] {
    const list = this.child('sheets');
    if (!list) return [];
    return childElements(this.xml, list)
      .filter((e) => e.tag.local === 'sheet')
      .map((element, index) => {
        const a = parseAttrs(element.tag.attrText);
        const relId = a.find((x) => x.name.endsWith(':id'))?.value ?? '';
        return {
          name: attr(a, 'name') ?? '',
          sheetId: Number(attr(a, 'sheetId') ?? 0),
          relId,
          partName: this.relParts.get(relId) ?? null,
          index,
          element,
        };
      });
  }

  definedNames(): DefinedName[] {
    const list = this.child('definedNames');
    if (!list) return [];
    return findElements(this.xml, 'definedName', list.tag.end, list.closeStart).map((element) => {
      const a = parseAttrs(element.tag.attrText);
      const local = attr(a, 'localSheetId');
      const ref = element.tag.kind === 'empty' ? '' : elementText(this.xml.slice(element.tag.end, element.closeStart));
      return { name: attr(a, 'name') ?? '', ref, localSheetId: local === undefined ? null : Number(local), element };
    });
  }

  /** True when the workbook's structure is protected (no sheet may be added or removed). */
  structureLocked(): boolean {
    const p = this.child('workbookProtection');
    if (!p) return false;
    const v = attr(parseAttrs(p.tag.attrText), 'lockStructure');
    return v === '1' || v === 'true';
  }

  /** Sets `fullCalcOnLoad="1"` on calcPr (adding calcPr when absent); every other attribute is kept. */
  setFullCalcOnLoad(): void {
    const calc = this.child('calcPr');
    if (calc) {
      const v = attr(parseAttrs(calc.tag.attrText), 'fullCalcOnLoad');
      if (v === '1' || v === 'true') return;
      this.xml = applySplices(this.xml, [
        { start: calc.tag.start, end: calc.tag.end, text: rewriteStartTag(calc.tag, { fullCalcOnLoad: '1' }) },
      ]);
      return;
    }
    const el = `<${this.prefix}calcPr fullCalcOnLoad="1"/>`;
    this.xml = applySplices(this.xml, [insertChildSplice(this.xml, this.root(), el, after(WORKBOOK_ORDER, 'calcPr'))]);
  }

  /** Splices that add defined names (creating <definedNames> in schema position when absent). */
  addDefinedNamesSplice(names: readonly { name: string; ref: string; localSheetId: number | null; hidden?: boolean }[]): Splice | null {
    if (names.length === 0) return null;
    const p = this.prefix;
    const text = names
      .map(
        (n) =>
          `<${p}definedName name="${escapeXml(n.name)}"${n.localSheetId !== null ? ` localSheetId="${n.localSheetId}"` : ''}${n.hidden ? ' hidden="1"' : ''}>${escapeXml(n.ref)}</${p}definedName>`,
      )
      .join('');
    const list = this.child('definedNames');
    if (list) return insertChildSplice(this.xml, list, text, []);
    return insertChildSplice(this.xml, this.root(), `<${p}definedNames>${text}</${p}definedNames>`, after(WORKBOOK_ORDER, 'definedNames'));
  }

  /** The styles part of this workbook, or null. */
  static async stylesPart(pkg: OpcPackage, workbookPart: string): Promise<string | null> {
    const rel = (await pkg.rels(workbookPart)).find((r) => r.type === REL_STYLES || r.type.endsWith('/styles'));
    return rel?.partName && pkg.has(rel.partName) ? rel.partName : null;
  }
}
