/**
 * The character encoding of an XML part (XML 1.0, appendix F): a byte-order mark, else the first bytes of
 * `<?xml`, else the declaration's `encoding`, else UTF-8. Excel writes UTF-8, but UTF-16 parts (with or
 * without a byte-order mark) and declared legacy encodings (GBK, GB18030, …) are valid XML and are read;
 * an encoding no decoder knows (UTF-32, EBCDIC, a misspelt label) is refused with a Chinese message instead
 * of being read as empty text.
 */
import { InputError } from './errors';

/** How a part's text was stored: written back the same way (UTF-16 stays UTF-16, with its mark or not). */
export interface PartEncoding {
  /** A WHATWG encoding label (`utf-8`, `utf-16le`, `utf-16be`, `gbk`, …). */
  label: string;
  bom: boolean;
}

export interface DecodedPart {
  text: string;
  encoding: PartEncoding;
}

const UTF8: PartEncoding = { label: 'utf-8', bom: false };

function refuse(fileName: string, part: string, what: string): never {
  throw new InputError(`${fileName}：部件 ${part} 使用${what}，无法读取。请在 WPS/Excel 中打开并另存为 .xlsx 后重试。`);
}

/** The `encoding` of an XML declaration at the start of ASCII-compatible bytes, lower case, or null. */
function declaredEncoding(bytes: Uint8Array): string | null {
  if (!(bytes[0] === 0x3c && bytes[1] === 0x3f)) return null;
  let head = '';
  for (let i = 0; i < Math.min(bytes.length, 256); i++) {
    const b = bytes[i];
    head += String.fromCharCode(b);
    if (b === 0x3e) break;
  }
  const m = /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/.exec(head);
  return m ? m[1].trim().toLowerCase() : null;
}

function decoder(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

/** Decodes one part's bytes, or throws an InputError naming the part and its encoding. */
export function decodePart(bytes: Uint8Array, part: string, fileName = '工作簿'): DecodedPart {
  const [a, b, c, d] = bytes;
  if (
    (a === 0xff && b === 0xfe && c === 0 && d === 0) ||
    (a === 0 && b === 0 && c === 0xfe && d === 0xff) ||
    (a === 0 && b === 0 && c === 0 && d === 0x3c) ||
    (a === 0x3c && b === 0 && c === 0 && d === 0)
  ) {
    refuse(fileName, part, ' UTF-32 编码');
  }
  if (a === 0xef && b === 0xbb && c === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: { label: 'utf-8', bom: true } };
  if (a === 0xff && b === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: { label: 'utf-16le', bom: true } };
  if (a === 0xfe && b === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: { label: 'utf-16be', bom: true } };
  if (a === 0x3c && b === 0 && c === 0x3f && d === 0)
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: { label: 'utf-16le', bom: false } };
  if (a === 0 && b === 0x3c && c === 0 && d === 0x3f)
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: { label: 'utf-16be', bom: false } };
  if (a === 0x4c && b === 0x6f && c === 0xa7 && d === 0x94) refuse(fileName, part, ' EBCDIC 编码');
  const declared = declaredEncoding(bytes);
  // No declaration, UTF-8, or a UTF-16 label on bytes that are not UTF-16 (no mark, ASCII '<?'): UTF-8.
  if (
    declared === null ||
    declared === 'utf-8' ||
    declared === 'utf8' ||
    declared.startsWith('utf-16') ||
    declared === 'unicode'
  ) {
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: UTF8 };
  }
  const dec = decoder(declared);
  if (!dec) refuse(fileName, part, `无法识别的字符编码“${declared}”`);
  // An ASCII-compatible legacy encoding (GBK, GB18030, Big5, ISO-8859-1, …).
  return { text: dec.decode(bytes), encoding: { label: dec.encoding, bom: false } };
}

/** Text as UTF-16 (little or big endian), with a byte-order mark when the part had one. */
export function encodeUtf16(text: string, le: boolean, bom: boolean): Uint8Array {
  const off = bom ? 2 : 0;
  const out = new Uint8Array(off + text.length * 2);
  if (bom) {
    out[0] = le ? 0xff : 0xfe;
    out[1] = le ? 0xfe : 0xff;
  }
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[off + 2 * i] = le ? u & 0xff : u >> 8;
    out[off + 2 * i + 1] = le ? u >> 8 : u & 0xff;
  }
  return out;
}

/**
 * A part's new text in its old encoding where an encoder exists (UTF-8, UTF-16); a legacy encoding
 * (no encoder in the platform) is written as UTF-8 with the declaration saying so, which every reader takes.
 */
export function encodePart(text: string, enc: PartEncoding | undefined): string | Uint8Array {
  if (!enc || enc.label === 'utf-8') {
    if (!enc?.bom) return text;
    const body = new TextEncoder().encode(text);
    const out = new Uint8Array(3 + body.length);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(body, 3);
    return out;
  }
  if (enc.label === 'utf-16le' || enc.label === 'utf-16be') return encodeUtf16(text, enc.label === 'utf-16le', enc.bom);
  return text.replace(/^(<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
}
