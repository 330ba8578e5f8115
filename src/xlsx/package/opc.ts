/**
 * The OPC package (the zip) of an .xlsx/.xlsm, for surgical edits: parts are read on demand, only the
 * parts a caller writes change, and every other zip entry is copied as it was (JSZip re-uses the stored
 * compressed bytes of an unchanged DEFLATE entry).
 *
 * Part names are OPC names (`/xl/workbook.xml`); zip entry names are looked up case-insensitively, as OPC
 * part names are. Relationship targets may be relative (`worksheets/sheet1.xml`) or absolute
 * (`/xl/worksheets/sheet1.xml`, as openpyxl writes them) and may be percent-encoded.
 */
import JSZip from 'jszip';
import { decodePart, encodePart, PartEncoding } from '../encoding';
import { InputError } from '../errors';
import { XlsxPackage } from '../package';
import { attr, escapeXml, findElement, findElements, insertChildSplice, applySplices, parseAttrs } from './xml';

export const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const REL_OFFICE_DOCUMENT = `${REL_NS}/officeDocument`;
export const REL_WORKSHEET = `${REL_NS}/worksheet`;
export const REL_STYLES = `${REL_NS}/styles`;
export const CT_WORKSHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const CT_RELS = 'application/vnd.openxmlformats-package.relationships+xml';

export interface Relationship {
  id: string;
  type: string;
  /** The target as written. */
  target: string;
  external: boolean;
  /** The target part's name (`/xl/worksheets/sheet1.xml`), or null for an external target. */
  partName: string | null;
}

/** `/xl/worksheets/sheet1.xml` → `/xl/worksheets/_rels/sheet1.xml.rels`; `/` → `/_rels/.rels`. */
export function relsPartOf(partName: string): string {
  if (partName === '/' || partName === '') return '/_rels/.rels';
  const i = partName.lastIndexOf('/');
  return `${partName.slice(0, i)}/_rels/${partName.slice(i + 1)}.rels`;
}

function dirOf(partName: string): string {
  return partName.slice(0, partName.lastIndexOf('/') + 1);
}

/** Resolves a relationship target against its source part (`/` for the package). */
export function resolveTarget(sourcePart: string, target: string): string {
  let t = target.split('#')[0];
  try {
    t = decodeURIComponent(t);
  } catch {
    // Not percent-encoded text: taken as written.
  }
  const base = t.startsWith('/') ? '' : dirOf(sourcePart === '/' ? '/' : sourcePart);
  const segs: string[] = [];
  for (const s of `${base}${t}`.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segs.pop();
    else segs.push(s);
  }
  return `/${segs.join('/')}`;
}

/** The relative target from `sourcePart` to `partName` when they share a directory prefix, else absolute. */
export function relativeTarget(sourcePart: string, partName: string): string {
  const dir = dirOf(sourcePart);
  return partName.startsWith(dir) ? partName.slice(dir.length) : partName;
}

export class OpcPackage {
  private readonly entries = new Map<string, string>();

  private constructor(
    private readonly zip: JSZip,
    readonly fileName: string,
  ) {
    // Some writers store zip entries with backslashes (`xl\workbook.xml`): found under their OPC names.
    zip.forEach((path, file) => {
      if (!file.dir) this.entries.set(`/${path.replace(/\\/g, '/').replace(/^\/+/, '')}`.toLowerCase(), path);
    });
  }

  static async load(bytes: Uint8Array, fileName = '工作簿'): Promise<OpcPackage> {
    // Refused for what it is, in the words `check` uses (.xlsb, .ods, a plain zip, an encrypted file …).
    await XlsxPackage.open(bytes, fileName);
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch (e) {
      throw new InputError(`${fileName}：工作簿已损坏或不是有效的 .xlsx 文件（${(e as Error).message}）。`);
    }
    const pkg = new OpcPackage(zip, fileName);
    if (!pkg.has('/[Content_Types].xml')) throw new InputError(`${fileName}：不是 .xlsx 工作簿（缺少 [Content_Types].xml）。`);
    return pkg;
  }

  /** The zip entry name of a part, or undefined. */
  private entryOf(partName: string): string | undefined {
    return this.entries.get(partName.toLowerCase());
  }

  has(partName: string): boolean {
    return this.entryOf(partName) !== undefined;
  }

  /** Every part name, in zip order. */
  partNames(): string[] {
    return [...this.entries.values()].map((e) => `/${e.replace(/\\/g, '/').replace(/^\/+/, '')}`);
  }

  /** How each part read was encoded (UTF-16 and legacy encodings are allowed by XML, rare): kept on write. */
  private readonly encodings = new Map<string, PartEncoding>();

  async read(partName: string): Promise<string> {
    const e = this.entryOf(partName);
    if (!e) throw new Error(`missing part ${partName}`);
    const bytes = await this.zip.file(e)!.async('uint8array');
    const { text, encoding } = decodePart(bytes, partName.replace(/^\//, ''), this.fileName);
    this.encodings.set(partName.toLowerCase(), encoding);
    return text;
  }

  async readBytes(partName: string): Promise<Uint8Array> {
    const e = this.entryOf(partName);
    if (!e) throw new Error(`missing part ${partName}`);
    return this.zip.file(e)!.async('uint8array');
  }

  /** Writes a part (under its existing zip entry name when it exists). Never creates folder entries. */
  write(partName: string, content: string | Uint8Array): void {
    const existing = this.entryOf(partName);
    const entry = existing ?? partName.replace(/^\//, '');
    if (typeof content === 'string') content = encodePart(content, this.encodings.get(partName.toLowerCase()));
    this.zip.file(entry, content, { createFolders: false, binary: typeof content !== 'string' });
    if (!existing) this.entries.set(partName.toLowerCase(), entry);
  }

  remove(partName: string): void {
    const e = this.entryOf(partName);
    if (!e) return;
    this.zip.remove(e);
    this.entries.delete(partName.toLowerCase());
  }

  async save(): Promise<Uint8Array> {
    return this.zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  }

  /** The relationships of a part (`/` for the package's own), empty when it has none. */
  async rels(sourcePart: string): Promise<Relationship[]> {
    const relsPart = relsPartOf(sourcePart);
    if (!this.has(relsPart)) return [];
    const xml = await this.read(relsPart);
    return findElements(xml, 'Relationship').map((el) => {
      const a = parseAttrs(el.tag.attrText);
      const target = attr(a, 'Target') ?? '';
      const external = attr(a, 'TargetMode') === 'External';
      return {
        id: attr(a, 'Id') ?? '',
        type: attr(a, 'Type') ?? '',
        target,
        external,
        partName: external ? null : resolveTarget(sourcePart, target),
      };
    });
  }

  /** The workbook part, from the package relationships (officeDocument). */
  async workbookPart(fileName = '工作簿'): Promise<string> {
    const rel = (await this.rels('/')).find((r) => r.type === REL_OFFICE_DOCUMENT || r.type.endsWith('/officeDocument'));
    const part = rel?.partName ?? (this.has('/xl/workbook.xml') ? '/xl/workbook.xml' : null);
    if (!part || !this.has(part)) throw new InputError(`${fileName}：工作簿缺少 workbook.xml，无法写入。`);
    return part;
  }

  /**
   * Adds a relationship to a part's .rels (creating it) and returns its new id. Existing relationships are
   * kept as written.
   */
  async addRel(sourcePart: string, type: string, partName: string): Promise<string> {
    const relsPart = relsPartOf(sourcePart);
    const existing = await this.rels(sourcePart);
    const ids = new Set(existing.map((r) => r.id));
    let n = existing.length + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const entry = `<Relationship Id="${id}" Type="${escapeXml(type)}" Target="${escapeXml(relativeTarget(sourcePart, partName))}"/>`;
    if (!this.has(relsPart)) {
      this.write(
        relsPart,
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${entry}</Relationships>`,
      );
      await this.ensureDefault('rels', CT_RELS);
      return id;
    }
    const xml = await this.read(relsPart);
    const root = findElement(xml, 'Relationships');
    if (!root) throw new Error(`unreadable ${relsPart}`);
    this.write(relsPart, applySplices(xml, [insertChildSplice(xml, root, entry, [])]));
    return id;
  }

  /** Removes one relationship from a part's .rels. */
  async removeRel(sourcePart: string, id: string): Promise<void> {
    const relsPart = relsPartOf(sourcePart);
    if (!this.has(relsPart)) return;
    const xml = await this.read(relsPart);
    const el = findElements(xml, 'Relationship').find((e) => attr(parseAttrs(e.tag.attrText), 'Id') === id);
    if (el) this.write(relsPart, applySplices(xml, [{ start: el.tag.start, end: el.end, text: '' }]));
  }

  private async ensureDefault(extension: string, contentType: string): Promise<void> {
    const xml = await this.read('/[Content_Types].xml');
    const has = findElements(xml, 'Default').some((e) => (attr(parseAttrs(e.tag.attrText), 'Extension') ?? '').toLowerCase() === extension);
    if (has) return;
    const root = findElement(xml, 'Types')!;
    const entry = `<Default Extension="${extension}" ContentType="${escapeXml(contentType)}"/>`;
    this.write('/[Content_Types].xml', applySplices(xml, [insertChildSplice(xml, root, entry, ['Override'])]));
  }

  /** Adds an Override for a new part. */
  async addOverride(partName: string, contentType: string): Promise<void> {
    const xml = await this.read('/[Content_Types].xml');
    const root = findElement(xml, 'Types');
    if (!root) throw new Error('unreadable [Content_Types].xml');
    const entry = `<Override PartName="${escapeXml(partName)}" ContentType="${escapeXml(contentType)}"/>`;
    this.write('/[Content_Types].xml', applySplices(xml, [insertChildSplice(xml, root, entry, [])]));
  }

  /** Removes the Override of a part, if any. */
  async removeOverride(partName: string): Promise<void> {
    const xml = await this.read('/[Content_Types].xml');
    const el = findElements(xml, 'Override').find(
      (e) => (attr(parseAttrs(e.tag.attrText), 'PartName') ?? '').toLowerCase() === partName.toLowerCase(),
    );
    if (el) this.write('/[Content_Types].xml', applySplices(xml, [{ start: el.tag.start, end: el.end, text: '' }]));
  }

  /** The content type of a part (Override, else Default by extension), or undefined. */
  async contentType(partName: string): Promise<string | undefined> {
    const xml = await this.read('/[Content_Types].xml');
    for (const e of findElements(xml, 'Override')) {
      const a = parseAttrs(e.tag.attrText);
      if ((attr(a, 'PartName') ?? '').toLowerCase() === partName.toLowerCase()) return attr(a, 'ContentType');
    }
    const ext = partName.slice(partName.lastIndexOf('.') + 1).toLowerCase();
    for (const e of findElements(xml, 'Default')) {
      const a = parseAttrs(e.tag.attrText);
      if ((attr(a, 'Extension') ?? '').toLowerCase() === ext) return attr(a, 'ContentType');
    }
    return undefined;
  }
}
