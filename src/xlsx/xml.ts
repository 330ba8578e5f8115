/**
 * A small, tolerant XML scanner for the parts of an .xlsx package the reader needs (workbook, relationships,
 * shared strings, styles, worksheets). It is iterative (no recursion, whatever the nesting or the size of a
 * part), ignores namespace prefixes (writers differ: `x:c`, `c`, `ns0:c` are the same element to it), and
 * never throws on malformed input: what it cannot read as markup it treats as text.
 */

export type Attrs = Record<string, string>;

export interface XmlHandler {
  /** An opening (or self-closing) tag; `name` is the local name, without any namespace prefix. */
  open(name: string, attrs: AttrSource, selfClosing: boolean): void;
  close?(name: string): void;
  /** Character data between tags, entities decoded (also CDATA sections). */
  text?(text: string): void;
}

/** Attributes are parsed only when asked for: most tags' attributes are never read. */
export class AttrSource {
  private parsed: Attrs | undefined;
  constructor(private readonly raw: string) {}

  all(): Attrs {
    if (this.parsed) return this.parsed;
    const out: Attrs = {};
    if (this.raw) {
      const re = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(this.raw))) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
    }
    this.parsed = out;
    return out;
  }

  /** The attribute of that exact (unprefixed) name. */
  get(name: string): string | undefined {
    return this.all()[name];
  }

  /** An attribute by local name with any namespace prefix (`r:id`, `rel:id`), e.g. relationship ids. */
  getPrefixed(local: string): string | undefined {
    const attrs = this.all();
    for (const k of Object.keys(attrs)) {
      const i = k.indexOf(':');
      if (i > 0 && k.slice(i + 1) === local && k.slice(0, i) !== 'xmlns') return attrs[k];
    }
    return undefined;
  }
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (_, e: string) => {
    if (e[0] !== '#') return NAMED[e];
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** OOXML escapes characters XML cannot carry as `_xHHHH_` in strings (ECMA-376 Part 1, 22.9.2.19 ST_Xstring). */
export function decodeXstring(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

// One alternation, tried left to right at each '<': markup declarations and comments first, then tags.
// Attribute values are matched as quoted strings, so a '>' inside one does not end the tag.
const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<![A-Za-z][^>[]*(?:\[[\s\S]*?\])?\s*>|<(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;

/** Scans one XML document, calling the handler for every tag and text run, in document order. */
export function scanXml(xml: string, h: XmlHandler): void {
  MARKUP.lastIndex = 0;
  let pos = 0;
  const wantsText = h.text !== undefined;
  for (;;) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0) {
      if (wantsText && pos < xml.length) h.text!(decodeEntities(xml.slice(pos)));
      return;
    }
    MARKUP.lastIndex = lt;
    const m = MARKUP.exec(xml);
    if (!m) {
      // Not markup we can read: the '<' is text.
      if (wantsText) h.text!(decodeEntities(xml.slice(pos, lt + 1)));
      pos = lt + 1;
      continue;
    }
    if (wantsText && lt > pos) h.text!(decodeEntities(xml.slice(pos, lt)));
    pos = MARKUP.lastIndex;
    if (m[1] !== undefined) {
      if (wantsText) h.text!(m[1]);
    } else if (m[3] !== undefined) {
      if (m[2] === '/') h.close?.(m[3]);
      else {
        const self = m[5] === '/';
        h.open(m[3], new AttrSource(m[4] ?? ''), self);
        if (self) h.close?.(m[3]);
      }
    }
  }
}
