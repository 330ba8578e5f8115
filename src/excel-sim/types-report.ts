/**
 * The host's answers for what the report and template renderers (src/excel/report.ts, template.ts) and the
 * stored choices use beyond the core: workbook names, adding and deleting worksheets, range formats (font,
 * fill, borders, alignment, column width, row height), merging, hyperlinks, gridlines, tab colour, freeze
 * panes, page layout and page breaks, data-bar conditional formats and data validation.
 *
 * The state lands in the host's ExcelJS workbook as the ExcelJS renderer writes it, so a test can compare
 * the two renderers and the saved file carries it.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import ExcelJS from 'exceljs';
import { a1, Area, parseA1 } from '../domain/grid';
import { columnWidthChars } from '../domain/report/host';
import { parseSheetAddress } from '../excel/address';
import { mergeAll } from '../xlsx/report';
import { SimError } from './errors';
import type { SheetModel, WorkbookModel } from './model';
import type { Handle, TypeDef } from './protocol';
import { AreasTarget, CfTarget, HostEnv, invalidArgument, RangeTarget } from './types-core';

const h = (type: string, target: unknown): Handle => ({ type, target });
const argb = (hex: unknown) => `FF${String(hex).replace('#', '').toUpperCase()}`;

type DefinedName = { name: string; ranges: string[] };

function definedNames(wb: ExcelJS.Workbook): DefinedName[] {
  return (wb.definedNames.model as DefinedName[]).filter((n) => n.ranges.length > 0);
}

/** Names that Excel shows as `#REF!` because their sheet was deleted (ExcelJS cannot hold such names). */
const brokenNames = new WeakMap<WorkbookModel, Set<string>>();
function broken(model: WorkbookModel): Set<string> {
  let s = brokenNames.get(model);
  if (!s) brokenNames.set(model, (s = new Set()));
  return s;
}

function nameList(m: WorkbookModel): { name: string; formula: string; visible: boolean }[] {
  const list = definedNames(m.wb).map((n) => ({ name: n.name, formula: `=${n.ranges.join(',')}`, visible: true }));
  for (const b of broken(m)) list.push({ name: b, formula: '=#REF!$A$1', visible: true });
  for (const [name, c] of m.constantNames) list.push({ name, formula: c.formula, visible: c.visible });
  return list;
}

function nameExists(m: WorkbookModel, name: string): boolean {
  const lower = name.toLowerCase();
  return nameList(m).some((n) => n.name.toLowerCase() === lower);
}

// ---- range formats ---------------------------------------------------------------------------------

function eachCell(t: AreasTarget, fn: (cell: ExcelJS.Cell, r: number, c: number, a: Area) => void): void {
  for (const a of t.areas) {
    for (let r = a.r0; r <= a.r1; r++) for (let c = a.c0; c <= a.c1; c++) fn(t.sheet.ws.getCell(r + 1, c + 1), r, c, a);
  }
}

type Side = 'top' | 'bottom' | 'left' | 'right';

/** Which sides of which cells an Excel border item draws. */
function sidesFor(edge: string, r: number, c: number, a: Area): Side[] {
  switch (edge) {
    case 'EdgeTop':
      return r === a.r0 ? ['top'] : [];
    case 'EdgeBottom':
      return r === a.r1 ? ['bottom'] : [];
    case 'EdgeLeft':
      return c === a.c0 ? ['left'] : [];
    case 'EdgeRight':
      return c === a.c1 ? ['right'] : [];
    case 'InsideHorizontal':
      return [...(r > a.r0 ? (['top'] as Side[]) : []), ...(r < a.r1 ? (['bottom'] as Side[]) : [])];
    case 'InsideVertical':
      return [...(c > a.c0 ? (['left'] as Side[]) : []), ...(c < a.c1 ? (['right'] as Side[]) : [])];
    default:
      throw invalidArgument(`border index ${edge}`);
  }
}

interface BorderTarget extends AreasTarget {
  edge: string;
}

function setSide(t: BorderTarget, update: (old: Partial<ExcelJS.Border> | undefined) => Partial<ExcelJS.Border>): void {
  for (const a of t.areas) {
    if ((t.edge === 'InsideHorizontal' && a.r0 === a.r1) || (t.edge === 'InsideVertical' && a.c0 === a.c1)) {
      throw new SimError('InvalidArgument', `${t.edge} border on a range without inner ${t.edge === 'InsideHorizontal' ? 'rows' : 'columns'}.`);
    }
  }
  eachCell(t, (cell, r, c, a) => {
    const sides = sidesFor(t.edge, r, c, a);
    if (!sides.length) return;
    const b: Partial<ExcelJS.Borders> = { ...(cell.border ?? {}) };
    for (const s of sides) b[s] = update(b[s]) as ExcelJS.Border;
    cell.border = b;
  });
}

const fontProp = (key: string, conv: (v: any) => unknown) => ({
  set: (t: AreasTarget, v: unknown) => eachCell(t, (cell) => (cell.font = { ...(cell.font ?? {}), [key]: conv(v) })),
});
const alignProp = (key: 'horizontal' | 'vertical' | 'wrapText', conv: (v: any) => unknown) => ({
  set: (t: AreasTarget, v: unknown) => eachCell(t, (cell) => (cell.alignment = { ...(cell.alignment ?? {}), [key]: conv(v) })),
});

const OPERATORS: Record<string, ExcelJS.DataValidationOperator> = {
  Between: 'between',
  NotBetween: 'notBetween',
  EqualTo: 'equal',
  NotEqualTo: 'notEqual',
  GreaterThan: 'greaterThan',
  LessThan: 'lessThan',
  GreaterThanOrEqualTo: 'greaterThanOrEqual',
  LessThanOrEqualTo: 'lessThanOrEqual',
};

function areaRef(a: Area): string {
  const s = a1(a.r0, a.c0);
  const e = a1(a.r1, a.c1);
  return s === e ? s : `${s}:${e}`;
}

/** A formula as Office gives it (`=Name`, a number) as OOXML holds it (no `=`). */
const stripEq = (v: unknown) => (typeof v === 'string' ? v.replace(/^=/, '') : v);

function updateValidation(t: RangeTarget, apply: (dv: any) => void): void {
  const dvs = (t.sheet.ws as unknown as { dataValidations: { model: Record<string, any> } }).dataValidations;
  const key = areaRef(t.area);
  const dv = { ...(dvs.model[key] ?? { type: 'any', formulae: [] }) };
  apply(dv);
  dvs.model[key] = dv;
}

const view = (ws: ExcelJS.Worksheet): Partial<ExcelJS.WorksheetView> => ({ ...((ws.views?.[0] ?? {}) as object) });

function pageSetup(s: SheetModel, apply: (ps: Partial<ExcelJS.PageSetup>) => void): void {
  const ps = { ...s.ws.pageSetup };
  apply(ps);
  s.ws.pageSetup = ps as ExcelJS.PageSetup;
}

const margin = (key: keyof ExcelJS.Margins) => ({
  set: (s: SheetModel, v: unknown) =>
    pageSetup(s, (ps) => {
      ps.margins = { ...(ps.margins as ExcelJS.Margins), [key]: Number(v) / 72 };
    }),
});

/** Merged cells of each sheet (Excel refuses to merge across a merged area), without ExcelJS's quadratic check. */
const mergedCells = new WeakMap<ExcelJS.Worksheet, Set<number>>();

function merge(t: RangeTarget): void {
  const a = t.area;
  let set = mergedCells.get(t.sheet.ws);
  if (!set) {
    set = new Set();
    for (const mm of t.sheet.ws.model.merges ?? []) {
      const p = parseSheetAddress(mm);
      if (p) for (let r = p.area.r0; r <= p.area.r1; r++) for (let c = p.area.c0; c <= p.area.c1; c++) set.add(r * 16384 + c);
    }
    mergedCells.set(t.sheet.ws, set);
  }
  for (let r = a.r0; r <= a.r1; r++) {
    for (let c = a.c0; c <= a.c1; c++) {
      if (set.has(r * 16384 + c)) throw new SimError('InvalidOperation', 'Cannot merge cells that are already merged.');
    }
  }
  for (let r = a.r0; r <= a.r1; r++) for (let c = a.c0; c <= a.c1; c++) set.add(r * 16384 + c);
  mergeAll(t.sheet.ws, [a]);
}

let sheetSeq = 0;

/** Adds the report and template members to the core type table. */
export function reportTypes(env: HostEnv, core: Record<string, TypeDef>): Record<string, TypeDef> {
  const m = env.model;
  const areasOfRange = (t: RangeTarget): AreasTarget => ({ sheet: t.sheet, areas: [t.area] });
  const with_ = (type: string, extra: TypeDef): TypeDef => {
    const base = core[type] ?? {};
    return {
      ...base,
      ...extra,
      props: { ...base.props, ...extra.props },
      navs: { ...base.navs, ...extra.navs },
      methods: { ...base.methods, ...extra.methods },
    };
  };
  const dataBar = (t: CfTarget): any => {
    if (t.cf.type !== 'DataBar') throw new SimError('InvalidOperation', 'The conditional format is not of type DataBar.');
    return (t.cf.dataBar ??= {});
  };
  return {
    ...core,
    NamedItemCollection: {
      items: () => nameList(m).map((n) => h('NamedItem', n.name)),
      indexer: (_t, name) => {
        if (!nameList(m).some((n) => n.name === name)) throw new SimError('ItemNotFound', `The requested resource doesn't exist (name '${String(name)}').`);
        return h('NamedItem', String(name));
      },
      methods: {
        add: {
          creates: true,
          run: (_t, [name, reference, comment], c) => {
            const n = String(name);
            // Excel's undo page: a name's comment has no undo support in Excel on the web.
            if (comment !== undefined && comment !== null) c.alsoRuns('NamedItem.comment', 'web');
            if (nameExists(m, n)) throw new SimError('InvalidArgument', `A name '${n}' already exists.`);
            const text = String(reference);
            if (/^=?\s*"/.test(text)) {
              // A text constant (`="hebei"`): Excel keeps it as a name like any other.
              if (text.length > 260) throw new SimError('InvalidArgument', 'Text values in formulas are limited to 255 characters.');
              m.constantNames.set(n, { formula: text.startsWith('=') ? text : `=${text}`, visible: true });
            } else {
              const ref = text.replace(/^=/, '');
              const p = parseSheetAddress(ref);
              if (!p || !p.sheet || !m.sheetByKey(p.sheet)) throw new SimError('InvalidReference', `Invalid reference ${ref}.`);
              m.wb.definedNames.add(ref, n);
            }
            return h('NamedItem', n);
          },
        },
      },
    },
    NamedItem: {
      defaults: ['name', 'formula', 'visible'],
      props: {
        name: { get: (n: string) => n },
        formula: { get: (n: string) => nameList(m).find((x) => x.name === n)?.formula ?? null },
        visible: {
          get: (n: string) => nameList(m).find((x) => x.name === n)?.visible ?? true,
          set: (n: string, v) => {
            const c = m.constantNames.get(n);
            if (c) c.visible = Boolean(v);
          },
        },
      },
      methods: {
        delete: {
          run: (n: string) => {
            if (!nameList(m).some((x) => x.name === n)) throw new SimError('ItemNotFound', `The requested resource doesn't exist (name '${n}').`);
            broken(m).delete(n);
            m.constantNames.delete(n);
            m.wb.definedNames.model = (m.wb.definedNames.model as DefinedName[]).filter((x) => x.name !== n);
          },
        },
      },
    },
    WorksheetCollection: with_('WorksheetCollection', {
      methods: {
        add: {
          creates: true,
          run: (_t, [name]) => {
            const n = String(name);
            if (m.sheets.some((s) => s.ws.name.toLowerCase() === n.toLowerCase())) throw new SimError('InvalidArgument', `A worksheet named '${n}' already exists.`);
            const ws = m.wb.addWorksheet(n);
            sheetSeq++;
            const created: SheetModel = { id: `{00000000-0001-0000-C000-${String(1000 + sheetSeq).padStart(12, '0')}}`, ws, cfs: [] };
            m.sheets.push(created);
            return h('Worksheet', created);
          },
        },
      },
    }),
    Worksheet: with_('Worksheet', {
      props: {
        // The library sends `showGridlines = …` as the property `Gridlines` (Worksheet_ShowGridlines_Set).
        gridlines: { set: (s: SheetModel, v) => (s.ws.views = [{ ...view(s.ws), showGridLines: Boolean(v) } as ExcelJS.WorksheetView]) },
        tabColor: { set: (s: SheetModel, v) => (s.ws.properties.tabColor = { argb: argb(v) }) },
      },
      navs: {
        freezePanes: (s: SheetModel) => h('WorksheetFreezePanes', s),
        pageLayout: (s: SheetModel) => h('PageLayout', s),
        horizontalPageBreaks: (s: SheetModel) => h('PageBreakCollection', s),
      },
      methods: {
        delete: {
          // Excel's undo page: Worksheet.delete has no undo support.
          undo: 'none',
          run: (s: SheetModel) => {
            if (m.sheets.length <= 1) throw new SimError('InvalidOperation', 'A workbook must contain at least one visible worksheet.');
            m.sheets.splice(m.sheets.indexOf(s), 1);
            // Names that referred to the sheet turn into #REF!.
            const keep: DefinedName[] = [];
            for (const n of m.wb.definedNames.model as DefinedName[]) {
              const p = n.ranges.length ? parseSheetAddress(n.ranges[0]) : null;
              if (p && p.sheet && p.sheet.toLowerCase() === s.ws.name.toLowerCase()) broken(m).add(n.name);
              else keep.push(n);
            }
            m.wb.definedNames.model = keep;
            m.wb.removeWorksheet(s.ws.id);
            if (m.activeSheetId === s.id) m.activeSheetId = m.sheets[0].id;
          },
        },
      },
    }),
    WorksheetFreezePanes: {
      methods: {
        freezeRows: {
          run: (s: SheetModel, [k]) => (s.ws.views = [{ ...view(s.ws), state: 'frozen', xSplit: 0, ySplit: Number(k) } as ExcelJS.WorksheetView]),
        },
      },
    },
    PageLayout: {
      props: {
        orientation: { set: (s: SheetModel, v) => pageSetup(s, (ps) => (ps.orientation = String(v).toLowerCase() as 'landscape' | 'portrait')) },
        paperSize: {
          set: (s: SheetModel, v) =>
            pageSetup(s, (ps) => {
              if (v !== 'A4') throw new SimError('SimNotModelled', `Paper ${String(v)} is not modelled.`);
              ps.paperSize = 9;
            }),
        },
        zoom: {
          set: (s: SheetModel, v: { horizontalFitToPages?: number; verticalFitToPages?: number }) =>
            pageSetup(s, (ps) => {
              ps.fitToPage = true;
              ps.fitToWidth = v.horizontalFitToPages;
              // An unspecified page count is automatic: OOXML writes it as 0.
              ps.fitToHeight = v.verticalFitToPages ?? 0;
            }),
        },
        centerHorizontally: { set: (s: SheetModel, v) => pageSetup(s, (ps) => (ps.horizontalCentered = Boolean(v))) },
        leftMargin: margin('left'),
        rightMargin: margin('right'),
        topMargin: margin('top'),
        bottomMargin: margin('bottom'),
        headerMargin: margin('header'),
        footerMargin: margin('footer'),
      },
      navs: { headersFooters: (s: SheetModel) => h('HeaderFooterGroup', s) },
      methods: {
        setPrintTitleRows: { run: (s: SheetModel, [rows]) => pageSetup(s, (ps) => (ps.printTitlesRow = String(rows).replace(/\$/g, ''))) },
      },
    },
    PageBreak: {},
    HeaderFooterGroup: {
      navs: { defaultForAllPages: (s: SheetModel) => h('HeaderFooter', s) },
    },
    HeaderFooter: {
      props: {
        centerFooter: { set: (s: SheetModel, v) => (s.ws.headerFooter = { ...s.ws.headerFooter, oddFooter: `&C${String(v)}` }) },
      },
    },
    PageBreakCollection: {
      methods: {
        add: {
          run: (s: SheetModel, [address]) => {
            const p = parseA1(String(address).replace(/\$/g, ''));
            if (!p) throw invalidArgument(`page break ${String(address)}`);
            // A break above 1-based row r+1 is ExcelJS's break after row r.
            if (p.r > 0) s.ws.getRow(p.r).addPageBreak();
            return h('PageBreak', { sheet: s, row: p.r });
          },
        },
      },
    },
    Range: with_('Range', {
      props: {
        hyperlink: {
          set: (t: RangeTarget, v: { documentReference?: string; textToDisplay?: string; screenTip?: string }) => {
            const cell = t.sheet.ws.getCell(t.area.r0 + 1, t.area.c0 + 1);
            const text = v.textToDisplay ?? String(cell.value ?? '');
            cell.value = { text, hyperlink: v.documentReference, tooltip: v.screenTip } as ExcelJS.CellValue;
          },
        },
      },
      navs: {
        format: (t: RangeTarget) => h('RangeFormat', areasOfRange(t)),
        dataValidation: (t: RangeTarget) => h('DataValidation', t),
      },
      methods: {
        merge: { run: (t: RangeTarget) => merge(t) },
      },
    }),
    RangeAreas: with_('RangeAreas', {
      navs: { format: (t: AreasTarget) => h('RangeFormat', t) },
    }),
    RangeFormat: {
      props: {
        horizontalAlignment: alignProp('horizontal', (v) => String(v).toLowerCase()),
        verticalAlignment: alignProp('vertical', (v) => (v === 'Center' ? 'middle' : String(v).toLowerCase())),
        wrapText: alignProp('wrapText', Boolean),
        columnWidth: {
          set: (t: AreasTarget, v) => {
            for (const a of t.areas) for (let c = a.c0; c <= a.c1; c++) t.sheet.ws.getColumn(c + 1).width = columnWidthChars(Number(v));
          },
        },
        rowHeight: {
          set: (t: AreasTarget, v) => {
            for (const a of t.areas) for (let r = a.r0; r <= a.r1; r++) t.sheet.ws.getRow(r + 1).height = Number(v);
          },
        },
      },
      navs: {
        font: (t: AreasTarget) => h('RangeFont', t),
        fill: (t: AreasTarget) => h('RangeFill', t),
        borders: (t: AreasTarget) => h('RangeBorderCollection', t),
      },
    },
    RangeFont: {
      props: {
        name: fontProp('name', String),
        size: fontProp('size', Number),
        bold: fontProp('bold', Boolean),
        italic: fontProp('italic', Boolean),
        underline: fontProp('underline', (v) => v !== 'None'),
        color: fontProp('color', (v) => ({ argb: argb(v) })),
      },
    },
    RangeFill: {
      props: {
        color: { set: (t: AreasTarget, v) => eachCell(t, (cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(v) } })) },
      },
    },
    RangeBorderCollection: {
      indexer: (t: AreasTarget, edge) => h('RangeBorder', { ...t, edge: String(edge) }),
    },
    RangeBorder: {
      props: {
        style: { set: (t: BorderTarget, v) => setSide(t, (old) => (v === 'None' ? {} : { ...old, style: old?.style ?? 'thin' })) },
        weight: { set: (t: BorderTarget, v) => setSide(t, (old) => ({ ...old, style: v === 'Medium' ? 'medium' : v === 'Thick' ? 'thick' : 'thin' })) },
        color: { set: (t: BorderTarget, v) => setSide(t, (old) => ({ ...old, color: { argb: argb(v) } })) },
      },
    },
    ConditionalFormat: with_('ConditionalFormat', {
      navs: { dataBar: (t: CfTarget) => h('DataBarConditionalFormat', t) },
    }),
    DataBarConditionalFormat: {
      props: {
        lowerBoundRule: { set: (t: CfTarget, v) => (dataBar(t).lower = { ...v }) },
        upperBoundRule: { set: (t: CfTarget, v) => (dataBar(t).upper = { ...v }) },
        showDataBarOnly: { set: (t: CfTarget, v) => (dataBar(t).showDataBarOnly = Boolean(v)) },
      },
      navs: { positiveFormat: (t: CfTarget) => h('ConditionalDataBarPositiveFormat', t) },
    },
    ConditionalDataBarPositiveFormat: {
      props: {
        fillColor: { set: (t: CfTarget, v) => (dataBar(t).fillColor = String(v).toUpperCase()) },
        gradientFill: { set: (t: CfTarget, v) => (dataBar(t).gradientFill = Boolean(v)) },
      },
    },
    DataValidation: {
      props: {
        rule: {
          set: (t: RangeTarget, rule) =>
            updateValidation(t, (dv) => {
              if (rule.list) {
                dv.type = 'list';
                dv.formulae = [stripEq(rule.list.source)];
                delete dv.operator;
              } else if (rule.decimal || rule.wholeNumber) {
                const r = rule.decimal ?? rule.wholeNumber;
                const op = OPERATORS[r.operator];
                if (!op) throw invalidArgument(`operator ${String(r.operator)}`);
                dv.type = rule.decimal ? 'decimal' : 'whole';
                dv.operator = op;
                dv.formulae = r.formula2 === undefined ? [stripEq(r.formula1)] : [stripEq(r.formula1), stripEq(r.formula2)];
              } else {
                throw new SimError('SimNotModelled', 'This data-validation rule is not modelled.');
              }
            }),
        },
        prompt: {
          set: (t: RangeTarget, p) =>
            updateValidation(t, (dv) => {
              dv.showInputMessage = Boolean(p.showPrompt);
              dv.promptTitle = p.title;
              dv.prompt = p.message;
            }),
        },
        errorAlert: {
          set: (t: RangeTarget, e) =>
            updateValidation(t, (dv) => {
              dv.showErrorMessage = Boolean(e.showAlert);
              dv.errorStyle = String(e.style).toLowerCase();
              dv.errorTitle = e.title;
              dv.error = e.message;
            }),
        },
        ignoreBlanks: { set: (t: RangeTarget, v) => updateValidation(t, (dv) => (dv.allowBlank = Boolean(v))) },
      },
    },
  };
}
