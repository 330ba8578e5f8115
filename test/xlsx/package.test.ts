/**
 * The package layer on hand-made parts: cell writes in every position (existing cell, new cell in a row,
 * new row, self-closing row, empty sheetData), prefixed namespaces, protection, styles appended only,
 * stale formula results, and the formula-reference follower.
 */
import type { CellEdit } from '../../src/domain/types';
import { fillXlsx } from '../../src/xlsx/fill';
import { formulaRefs } from '../../src/xlsx/package/deps';
import { SheetXml, StyleLookup } from '../../src/xlsx/package/sheet';
import { StylesXml } from '../../src/xlsx/package/styles';
import { partsOf, sheetCells, styleItems, stylesOnlyAppended } from './differ';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSZip = require('jszip');

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const plainStyles: StyleLookup = { isLocked: () => true, styleFor: (xf) => xf };

function sheet(data: string, extra = '', prefix = ''): string {
  const p = prefix ? `${prefix}:` : '';
  const ns = prefix ? `xmlns:${prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${ns}><${p}dimension ref="A1:C3"/>${data}${extra}</${p}worksheet>`;
}

describe('SheetXml.write', () => {
  it('rewrites an existing cell, keeping its other attributes, and drops the old value type', () => {
    const s = new SheetXml(sheet('<sheetData><row r="1"><c r="A1" s="3" t="s" cm="1"><v>4</v></c><c r="B1" s="2"/></row></sheetData>'));
    expect(s.write('A1', 9.5, undefined, plainStyles)).toBeNull();
    expect(s.write('B1', '优', undefined, plainStyles)).toBeNull();
    const out = s.result();
    expect(out).toContain('<c r="A1" s="3"><v>9.5</v></c><c r="B1" s="2" t="inlineStr"><is><t>优</t></is></c>');
  });

  it('inserts new cells in column order, new rows in row order, and widens spans and dimension', () => {
    const s = new SheetXml(
      sheet('<sheetData><row r="1" spans="1:2"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row><row r="3" ht="20" customHeight="1"/><row r="5"><c r="A5"/></row></sheetData>'),
    );
    for (const [a, v] of [['B1', 2], ['E1', 5], ['B3', 6], ['A2', 7], ['C4', 8], ['A9', 9]] as const) expect(s.write(a, v, undefined, plainStyles)).toBeNull();
    const { cells, rows } = sheetCells(s.result());
    expect([...cells.keys()]).toEqual(['A1', 'B1', 'C1', 'E1', 'A2', 'B3', 'C4', 'A5', 'A9']);
    expect(rows.get('1')).toBe('<row r="1" spans="1:5">');
    expect(rows.get('3')).toBe('<row r="3" ht="20" customHeight="1">');
    expect(s.result()).toContain('<dimension ref="A1:E9"/>');
  });

  it('fills an empty sheetData and keeps a prefixed namespace', () => {
    const s = new SheetXml(sheet('<x:sheetData/>', '', 'x'));
    expect(s.write('B2', 1, undefined, plainStyles)).toBeNull();
    expect(s.result()).toContain('<x:sheetData><x:row r="2"><x:c r="B2"><x:v>1</x:v></x:c></x:row></x:sheetData>');
  });

  it('never writes a formula, an array member, a merged cell, or a locked cell of a protected sheet', () => {
    const xml = sheet(
      '<sheetData><row r="1"><c r="A1"><f>B1*2</f><v>0</v></c><c r="B1"><f t="array" ref="B1:C2">D1:E2</f><v>1</v></c><c r="C1"><v>1</v></c></row></sheetData>',
      '<sheetProtection sheet="1"/><mergeCells count="1"><mergeCell ref="A3:B3"/></mergeCells>',
    );
    const unlocked: StyleLookup = { isLocked: (xf) => xf !== 7, styleFor: (xf) => xf };
    const s = new SheetXml(xml);
    expect(s.write('A1', 1, undefined, unlocked)).toContain('公式');
    expect(s.write('C2', 1, undefined, unlocked)).toContain('数组公式区域 B1:C2');
    expect(s.write('B3', 1, undefined, unlocked)).toContain('合并单元格 A3:B3');
    expect(s.write('D1', 1, undefined, unlocked)).toContain('受保护');
    expect(s.changed).toBe(false);
    expect(s.result()).toBe(xml);
    // An unlocked cell (its xf says locked="0") of the protected sheet may be written.
    const t = new SheetXml(xml.replace('<c r="C1">', '<c r="C1" s="7">'));
    expect(t.write('C1', 2, undefined, unlocked)).toContain('数组公式');
    expect(t.write('D5', 2, undefined, { ...unlocked, isLocked: () => false })).toBeNull();
  });

  it('refuses to insert before cells or rows that have no address', () => {
    const s = new SheetXml(sheet('<sheetData><row><c><v>1</v></c><c><v>2</v></c></row></sheetData>'));
    expect(s.write('A1', 5, undefined, plainStyles)).toBeNull(); // the first implicit cell is A1
    expect(s.write('C1', 5, undefined, plainStyles)).toBeNull(); // after the last one: safe
    const t = new SheetXml(sheet('<sheetData><row r="1"><c r="A1"/><c><v>2</v></c></row></sheetData>'));
    expect(t.write('B1', 5, undefined, plainStyles)).toBeNull();
    const u = new SheetXml(sheet('<sheetData><row r="2"><c r="C2"/><c><v>2</v></c></row></sheetData>'));
    expect(u.write('A2', 5, undefined, plainStyles)).toContain('没有地址');
  });
});

describe('StylesXml', () => {
  const styles = `<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts><fonts count="1"><font><sz val="10.5"/></font></fonts><fills count="2"><fill/><fill/></fills><borders count="1"><border/></borders><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="center"/><protection locked="0"/></xf></cellXfs></styleSheet>`;

  it('clones an xf with a number format once, appending; existing entries never change', () => {
    const s = new StylesXml(styles);
    expect(s.xfInfo(0)).toEqual({ numFmtId: 0, locked: true });
    expect(s.xfInfo(1)).toEqual({ numFmtId: 14, locked: false });
    expect(s.isGeneral(0)).toBe(true);
    expect(s.withNumFmt(0, '0.00%')).toBe(2);
    expect(s.withNumFmt(0, '0.00%')).toBe(2);
    expect(s.withNumFmt(1, '0.0')).toBe(3); // an existing custom format is reused
    expect(s.withNumFmt(0, '0.000')).toBe(4); // a new custom format is appended
    expect(stylesOnlyAppended(styles, s.xml)).toEqual([]);
    const xfs = styleItems(s.xml, 'cellXfs');
    expect(xfs[2]).toBe('<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>');
    expect(xfs[3]).toBe('<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="center"/><protection locked="0"/></xf>');
    expect(styleItems(s.xml, 'numFmts')[1]).toBe('<numFmt numFmtId="165" formatCode="0.000"/>');
  });

  it('creates a missing collection in schema order, with the document prefix', () => {
    const s = new StylesXml(`<x:styleSheet xmlns:x="${MAIN}"><x:fonts count="1"><x:font/></x:fonts><x:cellXfs count="1"><x:xf numFmtId="0" fontId="0"/></x:cellXfs></x:styleSheet>`);
    expect(s.withNumFmt(0, '0.000')).toBe(1);
    expect(s.xml).toBe(
      `<x:styleSheet xmlns:x="${MAIN}"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="0.000"/></x:numFmts><x:fonts count="1"><x:font/></x:fonts><x:cellXfs count="2"><x:xf numFmtId="0" fontId="0"/><x:xf numFmtId="164" fontId="0" applyNumberFormat="1"/></x:cellXfs></x:styleSheet>`,
    );
  });
});

describe('formulaRefs', () => {
  const names = new Map([
    ['预算数', '劳模体检!$F$6'],
    ['合计', 'SUM(劳模体检!$H$13:$H$18)'],
    ['偏移', 'OFFSET(劳模体检!$H$13,0,0,3,1)'],
  ]);
  const refs = (f: string, dr = 0, dc = 0) => formulaRefs(f, '表', names, dr, dc)?.map((r) => `${r.sheet}!${r.area.r0},${r.area.c0}:${r.area.r1},${r.area.c1}`);

  it('follows cells, ranges, sheets, whole columns and rows, and names', () => {
    expect(refs('SUM(H13:H18)+J6')).toEqual(['表!12,7:17,7', '表!5,9:5,9']);
    expect(refs("'It''s 100%'!A1+劳模体检!B2*LOG10(C3)")).toEqual(["It's 100%!0,0:0,0", '劳模体检!1,1:1,1', '表!2,2:2,2']);
    expect(refs('SUM(H:H)+SUM(3:4)')).toEqual(['表!0,7:1048575,7', '表!2,0:3,16383']);
    expect(refs('预算数*2+合计')).toEqual(['劳模体检!5,5:5,5', '劳模体检!12,7:17,7']);
    expect(refs('IF(A1="B2",1,0)')).toEqual(['表!0,0:0,0']);
    expect(refs('[1]Sheet1!A1+1')).toEqual([]);
  });

  it('shifts the relative parts for a shared formula member', () => {
    expect(refs('A1+$B$1+A$1', 2, 1)).toEqual(['表!2,1:2,1', '表!0,1:0,1', '表!0,1:0,1']);
  });

  it('gives up (may depend on anything) where it cannot follow', () => {
    for (const f of ['INDIRECT("A1")', 'OFFSET(A1,1,1)', '偏移', '未知名称+1', 'Table1[Col]', 'Sheet1:Sheet3!A1']) expect(refs(f)).toBeUndefined();
  });
});

describe('fillXlsx on a hand-made package', () => {
  async function pkg(sheet1: string, sheet2: string | Buffer, workbookExtra = ''): Promise<Uint8Array> {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>');
    zip.file('_rels/.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>');
    zip.file('xl/workbook.xml', `<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B&apos;s" sheetId="2" r:id="rId2"/></sheets>${workbookExtra}</workbook>`);
    zip.file('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>');
    zip.file('xl/worksheets/sheet1.xml', sheet1);
    zip.file('xl/worksheets/sheet2.xml', sheet2);
    return zip.generateAsync({ type: 'uint8array' });
  }
  const edit = (sheet: string, cell: string, value: number): CellEdit => ({ sheet, cell, kind: 'score', label: '得分', value, current: '', status: 'empty' });

  it('drops the cached results of formulas that read a filled cell, across sheets and chains, and no others', async () => {
    const s1 = sheet('<sheetData><row r="1"><c r="A1"/><c r="B1"><f>A1*2</f><v>0</v></c><c r="C1"><f>5+1</f><v>6</v></c></row></sheetData>');
    const s2 = sheet(`<sheetData><row r="1"><c r="A1" t="str"><f>IF(A!B1&gt;0,"是","否")</f><v>否</v></c><c r="B1"><f>A!C1</f><v>6</v></c></row></sheetData>`);
    const out = await fillXlsx(await pkg(s1, s2), [edit('A', 'A1', 3)]);
    expect(out.applied).toHaveLength(1);
    const parts = await partsOf(out.bytes);
    const c1 = sheetCells(parts.get('xl/worksheets/sheet1.xml')!.toString()).cells;
    const c2 = sheetCells(parts.get('xl/worksheets/sheet2.xml')!.toString()).cells;
    expect(c1.get('A1')).toBe('<c r="A1"><v>3</v></c>');
    expect(c1.get('B1')).toBe('<c r="B1"><f>A1*2</f></c>');
    expect(c1.get('C1')).toBe('<c r="C1"><f>5+1</f><v>6</v></c>');
    expect(c2.get('A1')).toBe('<c r="A1"><f>IF(A!B1&gt;0,"是","否")</f></c>');
    expect(c2.get('B1')).toBe('<c r="B1"><f>A!C1</f><v>6</v></c>');
    expect(parts.get('xl/workbook.xml')!.toString()).toContain('<calcPr fullCalcOnLoad="1"/></workbook>');
  });

  it('keeps the cached results of formulas it cannot trace, and sets full recalculation', async () => {
    const s1 = sheet('<sheetData><row r="1"><c r="A1"/><c r="B1"><f>INDIRECT("A"&amp;1)</f><v>5</v></c><c r="C1"><f>B1+1</f><v>6</v></c><c r="D1"><f>A1+1</f><v>1</v></c></row></sheetData>');
    const s2 = sheet('<sheetData><row r="1"><c r="A1"><f>SUM(Table1[Col])</f><v>7</v></c><c r="B1"><f>Ext+1</f><v>8</v></c></row></sheetData>');
    const names = '<definedNames><definedName name="Ext">[1]Sheet1!$A$1</definedName></definedNames>';
    const out = await fillXlsx(await pkg(s1, s2, names), [edit('A', 'A1', 3)]);
    const parts = await partsOf(out.bytes);
    const c1 = sheetCells(parts.get('xl/worksheets/sheet1.xml')!.toString()).cells;
    const c2 = sheetCells(parts.get('xl/worksheets/sheet2.xml')!.toString()).cells;
    expect(c1.get('B1')).toBe('<c r="B1"><f>INDIRECT("A"&amp;1)</f><v>5</v></c>');
    expect(c1.get('C1')).toBe('<c r="C1"><f>B1+1</f><v>6</v></c>');
    expect(c1.get('D1')).toBe('<c r="D1"><f>A1+1</f></c>'); // traceable and dependent: dropped
    expect(c2.get('A1')).toBe('<c r="A1"><f>SUM(Table1[Col])</f><v>7</v></c>');
    expect(c2.get('B1')).toBe('<c r="B1"><f>Ext+1</f><v>8</v></c>');
    expect(parts.get('xl/worksheets/sheet2.xml')!.toString()).toBe(s2);
    expect(parts.get('xl/workbook.xml')!.toString()).toContain('fullCalcOnLoad="1"');
  });

  it('reads a formula written in CDATA or around a comment as its text', async () => {
    const s1 = sheet('<sheetData><row r="1"><c r="A1"/><c r="B1"><f><![CDATA[A1*2]]></f><v>0</v></c><c r="C1"><f>A<!-- x -->1+1</f><v>1</v></c><c r="D1"><f><![CDATA["A1"]]></f><v>A1</v></c></row></sheetData>');
    const out = await fillXlsx(await pkg(s1, sheet('<sheetData/>')), [edit('A', 'A1', 3)]);
    const c1 = sheetCells((await partsOf(out.bytes)).get('xl/worksheets/sheet1.xml')!.toString()).cells;
    expect(c1.get('B1')).toBe('<c r="B1"><f><![CDATA[A1*2]]></f></c>');
    expect(c1.get('C1')).toBe('<c r="C1"><f>A<!-- x -->1+1</f></c>');
    expect(c1.get('D1')).toBe('<c r="D1"><f><![CDATA["A1"]]></f><v>A1</v></c>'); // a string literal reads nothing
  });

  it('follows a defined name written in CDATA', async () => {
    const s2 = sheet('<sheetData><row r="1"><c r="A1"><f>N+1</f><v>1</v></c></row></sheetData>');
    const names = '<definedNames><definedName name="N"><![CDATA[A!$A$1]]></definedName></definedNames>';
    const out = await fillXlsx(await pkg(sheet('<sheetData/>'), s2, names), [edit('A', 'A1', 3)]);
    const c2 = sheetCells((await partsOf(out.bytes)).get('xl/worksheets/sheet2.xml')!.toString()).cells;
    expect(c2.get('A1')).toBe('<c r="A1"><f>N+1</f></c>');
  });

  it('keeps a UTF-16 sheet part in UTF-16', async () => {
    const s2 = sheet('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>表</t></is></c></row></sheetData>').replace('UTF-8', 'UTF-16');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s2, 'utf16le')]);
    const out = await fillXlsx(await pkg(sheet('<sheetData/>'), utf16), [edit("B's", 'B1', 4)]);
    const raw = (await partsOf(out.bytes)).get('xl/worksheets/sheet2.xml')!;
    expect([raw[0], raw[1]]).toEqual([0xff, 0xfe]);
    expect(raw.subarray(2).toString('utf16le')).toBe(s2.replace('</c></row>', '</c><c r="B1"><v>4</v></c></row>'));
  });

  it('writes nothing else when no edit can be made, and says why for a missing sheet', async () => {
    const s1 = sheet('<sheetData><row r="1"><c r="A1"><f>1</f><v>1</v></c></row></sheetData>');
    const bytes = await pkg(s1, s1, '<calcPr calcId="1"/>');
    const out = await fillXlsx(bytes, [edit('A', 'A1', 3), edit('无此表', 'A1', 1), edit("B's", 'Z9', 1)]);
    expect(out.skipped.map((s) => s.reason)).toEqual(['单元格含公式，不覆盖', '找不到工作表“无此表”']);
    const parts = await partsOf(out.bytes);
    expect(parts.get('xl/worksheets/sheet1.xml')!.toString()).toBe(s1);
    expect(parts.get('xl/workbook.xml')!.toString()).toContain('<calcPr calcId="1" fullCalcOnLoad="1"/>');
    expect(sheetCells(parts.get('xl/worksheets/sheet2.xml')!.toString()).cells.get('Z9')).toBe('<c r="Z9"><v>1</v></c>');
  });
});
