/**
 * The .xlsx file as an OPC package (ECMA-376 Part 2): a zip of parts, found through relationships.
 *
 * Opening classifies what the bytes are, so that a user is told what they gave us (an encrypted or old .xls
 * file, an OpenDocument spreadsheet renamed .xlsx, a zip that is no workbook, a package without its workbook
 * part) instead of 「工作簿已损坏」 or an empty result. Part names are resolved as OPC says, whatever the
 * writer chose: relationship targets relative to the source part or absolute (`/xl/worksheets/sheet1.xml`, as
 * openpyxl writes them), part names compared case-insensitively, zip entries with or without a leading '/'.
 */
import JSZip from 'jszip';
import { decodePart } from './encoding';
import { InputError } from './errors';
import { scanXml } from './xml';

export const REL = {
  officeDocument: 'officeDocument',
  worksheet: 'worksheet',
  sharedStrings: 'sharedStrings',
  styles: 'styles',
} as const;

export interface Relationship {
  id: string;
  /** The last path segment of the relationship type URI (`worksheet`, `officeDocument`, …). */
  type: string;
  /** The relationship type URI as written. */
  typeUri: string;
  /** The target's part name, resolved and normalised (no leading '/'), or the raw target when external. */
  target: string;
  external: boolean;
}

/** Normalises a part name or zip entry name for lookup: no leading '/', forward slashes, lower case. */
export function partKey(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
}

/** Resolves a relationship target against the folder of its source part (OPC Part 2, 9.3 and annex A). */
export function resolveTarget(sourcePart: string, target: string): string {
  const t = target.replace(/\\/g, '/');
  let segs: string[];
  if (t.startsWith('/')) segs = t.split('/');
  else {
    const dir = sourcePart.includes('/') ? sourcePart.slice(0, sourcePart.lastIndexOf('/')) : '';
    segs = [...(dir ? dir.split('/') : []), ...t.split('/')];
  }
  const out: string[] = [];
  for (const s of segs) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  let name = out.join('/');
  try {
    name = decodeURIComponent(name);
  } catch {
    // a '%' that is not an escape: keep the name as written
  }
  return name;
}

/** The relationships part of a source part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
export function relsPartOf(part: string): string {
  const i = part.lastIndexOf('/');
  return i < 0 ? `_rels/${part}.rels` : `${part.slice(0, i)}/_rels/${part.slice(i + 1)}.rels`;
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];

export class XlsxPackage {
  private readonly byKey = new Map<string, JSZip.JSZipObject>();

  private constructor(
    readonly zip: JSZip,
    readonly fileName: string,
  ) {
    for (const entry of Object.values(zip.files)) if (!entry.dir) this.byKey.set(partKey(entry.name), entry);
  }

  /**
   * Opens the bytes as a spreadsheet package, or throws an InputError whose Chinese message says what the
   * file is instead.
   */
  static async open(data: ArrayBuffer | Uint8Array, fileName = '工作簿'): Promise<XlsxPackage> {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    if (bytes.length === 0) throw new InputError(`${fileName}：文件是空的，不是有效的 .xlsx 工作簿。`);
    if (OLE2.every((b, i) => bytes[i] === b)) {
      throw new InputError(
        `${fileName}：文件已加密（设置了打开密码）或为旧版 .xls 格式，无法读取。请在 Excel 中取消密码或另存为 .xlsx 后重试。`,
      );
    }
    if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
      throw new InputError(`${fileName}：不是 .xlsx 工作簿（文件格式无法识别）。`);
    }
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch (e) {
      throw new InputError(`${fileName}：工作簿已损坏或不是有效的 .xlsx 文件（压缩包无法打开：${(e as Error).message}）。`);
    }
    const pkg = new XlsxPackage(zip, fileName);
    await pkg.classify();
    return pkg;
  }

  /** Refuses packages that are not spreadsheets, saying what they are. */
  private async classify(): Promise<void> {
    const name = this.fileName;
    const mimetype = this.entry('mimetype');
    if (mimetype) {
      const mt = (await this.text('mimetype'))?.trim() ?? '';
      if (mt.startsWith('application/vnd.oasis.opendocument.spreadsheet')) {
        throw new InputError(
          `${name}：这是 OpenDocument 表格（.ods）文件，只是扩展名改成了 .xlsx，无法读取。请在 WPS/Excel 或 LibreOffice 中打开后另存为 .xlsx 再检查。`,
        );
      }
      if (mt.startsWith('application/vnd.oasis.opendocument')) {
        throw new InputError(`${name}：这是 OpenDocument 文档（${mt}），不是 Excel 工作簿。请另存为 .xlsx 后再检查。`);
      }
    }
    if (!this.entry('[Content_Types].xml')) {
      const n = this.byKey.size;
      throw new InputError(
        `${name}：这是一个普通的 zip 压缩包（含 ${n} 个文件），不是 Excel 工作簿（缺少 [Content_Types].xml）。请确认选择的是 .xlsx 文件。`,
      );
    }
    const wbPart = await this.workbookPart();
    const binary = wbPart && /\.bin$/i.test(wbPart) ? wbPart : !wbPart && this.entry('xl/workbook.bin') ? 'xl/workbook.bin' : null;
    if (binary) {
      const renamed = /\.xlsb$/i.test(name) ? '' : '，只是扩展名改成了 .xlsx';
      throw new InputError(
        `${name}：这是 Excel 二进制工作簿（.xlsb 格式）${renamed}，无法读取。请在 Excel 中打开，另存为“Excel 工作簿（*.xlsx）”后再检查。`,
      );
    }
    if (!wbPart || !this.entry(wbPart)) {
      const what = this.entry('word/document.xml')
        ? '这是 Word 文档（.docx），不是 Excel 工作簿'
        : this.entry('ppt/presentation.xml')
          ? '这是 PowerPoint 演示文稿（.pptx），不是 Excel 工作簿'
          : `工作簿不完整：缺少工作簿主体部件（${wbPart ?? 'xl/workbook.xml'}），文件可能已损坏或被截断`;
      throw new InputError(`${name}：${what}，无法读取。请在 WPS/Excel 中打开并另存为 .xlsx 后重试。`);
    }
  }

  /** The zip entry of a part name, or undefined. */
  entry(part: string): JSZip.JSZipObject | undefined {
    return this.byKey.get(partKey(part));
  }

  /** Every part name in the package (as stored in the zip). */
  partNames(): string[] {
    return [...this.byKey.values()].map((e) => e.name);
  }

  /**
   * A part's text, decoded as XML says (byte-order mark, declaration; UTF-8 by default), or undefined when the
   * part is absent. An encoding no decoder knows is an InputError naming the part.
   */
  async text(part: string): Promise<string | undefined> {
    const e = this.entry(part);
    if (!e) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await e.async('uint8array');
    } catch (err) {
      throw new InputError(`${this.fileName}：工作簿已损坏，部件 ${part} 无法解压（${(err as Error).message}）。`);
    }
    return decodePart(bytes, part, this.fileName).text;
  }

  /** The relationships of a source part ('' for the package itself), targets resolved to part names. */
  async rels(sourcePart: string): Promise<Relationship[]> {
    const xml = await this.text(sourcePart === '' ? '_rels/.rels' : relsPartOf(sourcePart));
    if (xml === undefined) return [];
    const out: Relationship[] = [];
    scanXml(xml, {
      open(name, a) {
        if (name !== 'Relationship') return;
        const id = a.get('Id') ?? '';
        const typeUri = a.get('Type') ?? '';
        const type = typeUri.split('/').pop() ?? '';
        const target = a.get('Target') ?? '';
        const external = (a.get('TargetMode') ?? '').toLowerCase() === 'external';
        out.push({ id, type, typeUri, external, target: external ? target : resolveTarget(sourcePart, target) });
      },
    });
    return out;
  }

  /** The workbook part: the package's officeDocument relationship, else the conventional xl/workbook.xml. */
  async workbookPart(): Promise<string | undefined> {
    const rel = (await this.rels('')).find((r) => r.type === REL.officeDocument && !r.external && this.entry(r.target));
    if (rel) return rel.target;
    return this.entry('xl/workbook.xml') ? 'xl/workbook.xml' : undefined;
  }
}
