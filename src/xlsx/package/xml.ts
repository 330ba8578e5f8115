/**
 * A minimal XML tag scanner for editing OOXML parts in place. It finds tags and their byte positions in the
 * text so that a caller can splice a few elements and keep everything else — unknown elements, namespaces,
 * mc:AlternateContent, extLst, comments, attribute order and quoting — exactly as it was.
 *
 * It is not a validating parser: it assumes well-formed XML (what every OOXML producer writes).
 */

export interface Tag {
  /** Offset of `<`. */
  start: number;
  /** Offset just after `>`. */
  end: number;
  /** Qualified name as written (`c`, `x:c`). */
  name: string;
  /** Local name (`c`). */
  local: string;
  kind: 'open' | 'close' | 'empty';
  /** Raw attribute text (between the name and `>` / `/>`). */
  attrText: string;
}

function localOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** Every tag of `xml` in [from, to), skipping comments, CDATA, processing instructions and doctypes. */
export function* scanTags(xml: string, from = 0, to = xml.length): Generator<Tag> {
  let i = xml.indexOf('<', from);
  while (i >= 0 && i < to) {
    if (xml.startsWith('<!--', i)) {
      const e = xml.indexOf('-->', i + 4);
      if (e < 0) return;
      i = xml.indexOf('<', e + 3);
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      const e = xml.indexOf(']]>', i + 9);
      if (e < 0) return;
      i = xml.indexOf('<', e + 3);
      continue;
    }
    if (xml.startsWith('<?', i)) {
      const e = xml.indexOf('?>', i + 2);
      if (e < 0) return;
      i = xml.indexOf('<', e + 2);
      continue;
    }
    if (xml.startsWith('<!', i)) {
      const e = xml.indexOf('>', i + 2);
      if (e < 0) return;
      i = xml.indexOf('<', e + 1);
      continue;
    }
    // Find the closing `>` outside attribute quotes.
    let j = i + 1;
    let quote = '';
    for (; j < xml.length; j++) {
      const ch = xml[j];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') break;
    }
    if (j >= xml.length) return;
    const close = xml[i + 1] === '/';
    const selfClosing = !close && xml[j - 1] === '/';
    const bodyStart = close ? i + 2 : i + 1;
    const bodyEnd = selfClosing ? j - 1 : j;
    const body = xml.slice(bodyStart, bodyEnd);
    const m = /^[^\s/>]+/.exec(body);
    const name = m ? m[0] : '';
    yield {
      start: i,
      end: j + 1,
      name,
      local: localOf(name),
      kind: close ? 'close' : selfClosing ? 'empty' : 'open',
      attrText: body.slice(name.length),
    };
    i = xml.indexOf('<', j + 1);
  }
}

export interface Attr {
  /** Qualified name as written. */
  name: string;
  /** Decoded value. */
  value: string;
  /** The attribute exactly as written, e.g. ` r="A1"`. */
  raw: string;
}

export function parseAttrs(attrText: string): Attr[] {
  const out: Attr[] = [];
  const re = /(\s*)([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(attrText))) {
    out.push({ name: m[2], value: decodeXml(m[4] ?? m[5] ?? ''), raw: m[0] });
  }
  return out;
}

/** The value of the attribute whose qualified or local name is `name` (first match), or undefined. */
export function attr(attrs: readonly Attr[], name: string): string | undefined {
  for (const a of attrs) if (a.name === name) return a.value;
  if (!name.includes(':')) return undefined;
  const local = localOf(name);
  for (const a of attrs) if (localOf(a.name) === local && a.name.includes(':')) return a.value;
  return undefined;
}

export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/** An element's character data: entities decoded, CDATA sections as written, comments left out. */
export function elementText(raw: string): string {
  if (!raw.includes('<')) return decodeXml(raw);
  let out = '';
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->/g;
  let at = 0;
  for (let m: RegExpExecArray | null; (m = re.exec(raw)); at = re.lastIndex) {
    out += decodeXml(raw.slice(at, m.index)) + (m[1] ?? '');
  }
  return out + decodeXml(raw.slice(at));
}

/** Escapes text for an attribute value in double quotes or for element content. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/**
 * Rewrites a start tag: attributes in `set` replace existing ones in place (or are appended), attributes in
 * `remove` are dropped; every other attribute keeps its position and its original text.
 */
export function rewriteStartTag(tag: Tag, set: Record<string, string>, remove: readonly string[] = []): string {
  const attrs = parseAttrs(tag.attrText);
  const pending = new Map(Object.entries(set));
  let text = '';
  for (const a of attrs) {
    if (remove.includes(a.name)) continue;
    if (pending.has(a.name)) {
      text += ` ${a.name}="${escapeXml(pending.get(a.name)!)}"`;
      pending.delete(a.name);
    } else text += a.raw;
  }
  for (const [k, v] of pending) text += ` ${k}="${escapeXml(v)}"`;
  return `<${tag.name}${text}${tag.kind === 'empty' ? '/>' : '>'}`;
}

/** An element found in the text: its start tag, and where it ends (after `</x>` or the empty tag). */
export interface Element {
  tag: Tag;
  /** Offset just after the element's end. */
  end: number;
  /** Offset of its close tag (== end for an empty element). */
  closeStart: number;
}

/**
 * The elements with local name `local` anywhere in [from, to), with their extents. Nested elements of the
 * same local name are reported once (the outermost).
 */
export function findElements(xml: string, local: string, from = 0, to = xml.length): Element[] {
  const out: Element[] = [];
  let depth = 0;
  let open: Tag | null = null;
  for (const t of scanTags(xml, from, to)) {
    if (t.local !== local) continue;
    if (t.kind === 'empty') {
      if (depth === 0) out.push({ tag: t, end: t.end, closeStart: t.end });
    } else if (t.kind === 'open') {
      if (depth === 0) open = t;
      depth++;
    } else if (depth > 0) {
      depth--;
      if (depth === 0 && open) {
        out.push({ tag: open, end: t.end, closeStart: t.start });
        open = null;
      }
    }
  }
  return out;
}

/** The first element with local name `local` in [from, to), or null. */
export function findElement(xml: string, local: string, from = 0, to = xml.length): Element | null {
  let depth = 0;
  let open: Tag | null = null;
  for (const t of scanTags(xml, from, to)) {
    if (t.local !== local) continue;
    if (t.kind === 'empty' && depth === 0) return { tag: t, end: t.end, closeStart: t.end };
    if (t.kind === 'open') {
      if (depth === 0) open = t;
      depth++;
    } else if (t.kind === 'close' && depth > 0) {
      depth--;
      if (depth === 0 && open) return { tag: open, end: t.end, closeStart: t.start };
    }
  }
  return null;
}

/**
 * The direct children of an element (start tag at `el.tag`), as elements. Works for any depth of nesting
 * inside the children.
 */
export function childElements(xml: string, el: Element): Element[] {
  if (el.tag.kind === 'empty') return [];
  const out: Element[] = [];
  const stack: Tag[] = [];
  for (const t of scanTags(xml, el.tag.end, el.closeStart)) {
    if (t.kind === 'empty') {
      if (stack.length === 0) out.push({ tag: t, end: t.end, closeStart: t.end });
    } else if (t.kind === 'open') stack.push(t);
    else {
      const o = stack.pop();
      if (o && stack.length === 0) out.push({ tag: o, end: t.end, closeStart: t.start });
    }
  }
  return out;
}

/** The root element's start tag. */
export function rootTag(xml: string): Tag | null {
  for (const t of scanTags(xml)) if (t.kind !== 'close') return t;
  return null;
}

/** The namespace prefix of the root element (`''` when unprefixed), with `:` appended when present. */
export function rootPrefix(xml: string): string {
  const r = rootTag(xml);
  if (!r) return '';
  const i = r.name.indexOf(':');
  return i < 0 ? '' : r.name.slice(0, i + 1);
}

/** Text splices applied in one pass; inserts at the same offset keep their order of `key`. */
export interface Splice {
  start: number;
  end: number;
  text: string;
  key?: number;
}

export function applySplices(xml: string, splices: readonly Splice[]): string {
  const sorted = splices
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start) || (a.key ?? 0) - (b.key ?? 0) || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const s of sorted) {
    if (s.start < pos) throw new Error('overlapping XML edits');
    out += xml.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  return out + xml.slice(pos);
}

/**
 * Inserts `text` into the children of `parent` so that it comes before the first child whose local name is
 * in `before` (schema order), or at the end of the children. Returns the splice.
 */
export function insertChildSplice(xml: string, parent: Element, text: string, before: readonly string[]): Splice {
  if (parent.tag.kind === 'empty') {
    const open = rewriteStartTag({ ...parent.tag, kind: 'open' }, {});
    return { start: parent.tag.start, end: parent.tag.end, text: `${open}${text}</${parent.tag.name}>` };
  }
  for (const c of childElements(xml, parent)) {
    if (before.includes(c.tag.local)) return { start: c.tag.start, end: c.tag.start, text };
  }
  return { start: parent.closeStart, end: parent.closeStart, text };
}
