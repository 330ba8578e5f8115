/**
 * The part of the Excel JavaScript API that the report renderer (src/excel/report.ts) uses beyond the core
 * host: adding and deleting worksheets, workbook names, range formats (font, fill, borders, alignment,
 * column width, row height), merging, hyperlinks, freeze panes, page layout and page breaks, data-bar
 * conditional formats.
 *
 * Lives in the host (not in test/) so that the browser
 * preview's 「生成报告」 works too; SimExcel installs it. Every write is queued and applied at
 * `context.sync()`, reads need `load()` + `sync()` or throw PropertyNotLoaded, and the state lands in the
 * host's ExcelJS workbook, so a test can compare it with what the ExcelJS renderer writes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import ExcelJS from 'exceljs';
import { Area, parseA1 } from '../domain/grid';
import { columnWidthChars } from '../domain/report/host';
import { parseSheetAddress } from '../excel/address';
import { mergeAll } from '../xlsx/report';
import {
  jsonBytes,
  SimConditionalFormatProxy,
  SimContext,
  SimRange,
  SimRangeAreas,
  SimWorkbook,
  SimWorksheet,
  SimWorksheetCollection,
} from './client';
import { propertyNotLoaded, SimError } from './errors';
import type { SheetModel, WorkbookModel } from './model';

const argb = (hex: string) => `FF${String(hex).replace('#', '').toUpperCase()}`;

/** Names that Excel shows as `#REF!` because their sheet was deleted (ExcelJS cannot hold such names). */
const brokenNames = new WeakMap<WorkbookModel, Set<string>>();

function broken(model: WorkbookModel): Set<string> {
  let s = brokenNames.get(model);
  if (!s) brokenNames.set(model, (s = new Set()));
  return s;
}

type DefinedName = { name: string; ranges: string[] };

function definedNames(wb: ExcelJS.Workbook): DefinedName[] {
  return (wb.definedNames.model as DefinedName[]).filter((n) => n.ranges.length > 0);
}

/** A setter that queues `apply` for the sync, like every Office property write. */
function queuedSetter(ctx: SimContext, apply: (v: any) => void) {
  return (v: any) => {
    ctx.enqueue(jsonBytes(v), () => {
      apply(v);
      return 10;
    });
  };
}

function defineSetters(obj: object, setters: Record<string, (v: any) => void>): void {
  for (const [k, set] of Object.entries(setters)) {
    Object.defineProperty(obj, k, {
      set,
      get: () => {
        throw propertyNotLoaded(k, 'Object');
      },
      enumerable: true,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Range formats

type AreasOf = () => { sheet: SheetModel; areas: Area[] };

function eachCell(t: { sheet: SheetModel; areas: Area[] }, fn: (cell: ExcelJS.Cell, r: number, c: number, a: Area) => void) {
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
      throw new SimError('InvalidArgument', `Unknown border index ${edge}.`);
  }
}

function makeFormat(ctx: SimContext, areasOf: AreasOf): any {
  const onCells = (fn: (cell: ExcelJS.Cell, r: number, c: number, a: Area) => void) => queuedSetter(ctx, () => eachCell(areasOf(), fn));
  const font = {};
  const fontProp = (key: string, conv: (v: any) => any) =>
    queuedSetter(ctx, (v) => eachCell(areasOf(), (cell) => (cell.font = { ...(cell.font ?? {}), [key]: conv(v) })));
  defineSetters(font, {
    name: fontProp('name', String),
    size: fontProp('size', Number),
    bold: fontProp('bold', Boolean),
    italic: fontProp('italic', Boolean),
    underline: fontProp('underline', (v) => v !== 'None'),
    color: fontProp('color', (v) => ({ argb: argb(v) })),
  });
  const fill = {};
  defineSetters(fill, {
    color: (v: any) =>
      onCells((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(v) } }))(v),
  });
  const borders = {
    getItem(edge: string) {
      const item = {};
      const setSide = (update: (old: Partial<ExcelJS.Border> | undefined) => Partial<ExcelJS.Border>) =>
        queuedSetter(ctx, () => {
          const t = areasOf();
          for (const a of t.areas) {
            if ((edge === 'InsideHorizontal' && a.r0 === a.r1) || (edge === 'InsideVertical' && a.c0 === a.c1)) {
              throw new SimError('InvalidArgument', `${edge} border on a range without inner ${edge === 'InsideHorizontal' ? 'rows' : 'columns'}.`);
            }
          }
          eachCell(t, (cell, r, c, a) => {
            const sides = sidesFor(edge, r, c, a);
            if (!sides.length) return;
            const b: Partial<ExcelJS.Borders> = { ...(cell.border ?? {}) };
            for (const s of sides) b[s] = update(b[s]) as ExcelJS.Border;
            cell.border = b;
          });
        });
      defineSetters(item, {
        style: (v: any) => setSide((old) => (v === 'None' ? {} : { ...old, style: old?.style ?? 'thin' }))(v),
        weight: (v: any) => setSide((old) => ({ ...old, style: v === 'Medium' ? 'medium' : v === 'Thick' ? 'thick' : 'thin' }))(v),
        color: (v: any) => setSide((old) => ({ ...old, color: { argb: argb(v) } }))(v),
      });
      return item;
    },
  };
  const format = { font, fill, borders };
  const align = (key: 'horizontal' | 'vertical' | 'wrapText', conv: (v: any) => any) =>
    queuedSetter(ctx, (v) => eachCell(areasOf(), (cell) => (cell.alignment = { ...(cell.alignment ?? {}), [key]: conv(v) })));
  defineSetters(format, {
    horizontalAlignment: align('horizontal', (v) => String(v).toLowerCase()),
    verticalAlignment: align('vertical', (v) => (v === 'Center' ? 'middle' : String(v).toLowerCase())),
    wrapText: align('wrapText', Boolean),
    columnWidth: queuedSetter(ctx, (v) => {
      const t = areasOf();
      for (const a of t.areas) for (let c = a.c0; c <= a.c1; c++) t.sheet.ws.getColumn(c + 1).width = columnWidthChars(v);
    }),
    rowHeight: queuedSetter(ctx, (v) => {
      const t = areasOf();
      for (const a of t.areas) for (let r = a.r0; r <= a.r1; r++) t.sheet.ws.getRow(r + 1).height = v;
    }),
  });
  return format;
}

// ---------------------------------------------------------------------------------------------------

let installed = false;

export function installReportApi(): void {
  if (installed) return;
  installed = true;
  const ctxOf = (o: any): SimContext => o.ctx as SimContext;

  // ---- workbook.names
  const namesOf = new WeakMap<object, any>();
  Object.defineProperty(SimWorkbook.prototype, 'names', {
    get(this: SimWorkbook) {
      let names = namesOf.get(this);
      if (names) return names;
      const ctx = ctxOf(this.worksheets);
      const model = () => ctx.model;
      let items: { name: string; formula: string }[] | null = null;
      names = {
        load() {
          ctx.enqueue(
            30,
            () => {
              const list = definedNames(model().wb).map((n) => ({ name: n.name, formula: `=${n.ranges.join(',')}` }));
              for (const b of broken(model())) list.push({ name: b, formula: '=#REF!$A$1' });
              for (const [name, c] of model().constantNames) list.push({ name, formula: c.formula });
              items = list;
              return jsonBytes(list);
            },
            'read',
          );
          return names;
        },
        get items() {
          if (!items) throw propertyNotLoaded('items', 'NamedItemCollection');
          return items;
        },
        add(name: string, reference: unknown) {
          const exists = (m: WorkbookModel) =>
            definedNames(m.wb).some((n) => n.name.toLowerCase() === name.toLowerCase()) ||
            broken(m).has(name) ||
            [...m.constantNames.keys()].some((k) => k.toLowerCase() === name.toLowerCase());
          const item = {
            set visible(v: boolean) {
              ctx.enqueue(10, () => {
                const c = model().constantNames.get(name);
                if (c) c.visible = Boolean(v);
                return 5;
              });
            },
          };
          if (/^=?\s*"/.test(String(reference))) {
            // A text constant (`="hebei"`): Excel keeps it as a name like any other.
            ctx.enqueue(jsonBytes([name, reference]), () => {
              const m = model();
              if (exists(m)) throw new SimError('InvalidArgument', `A name '${name}' already exists.`);
              const text = String(reference);
              if (text.length > 260) throw new SimError('InvalidArgument', 'Text values in formulas are limited to 255 characters.');
              m.constantNames.set(name, { formula: text.startsWith('=') ? text : `=${text}`, visible: true });
              return 10;
            });
            return item;
          }
          ctx.enqueue(jsonBytes([name, reference]), () => {
            const m = model();
            if (exists(m)) {
              throw new SimError('InvalidArgument', `A name '${name}' already exists.`);
            }
            const ref = String(reference).replace(/^=/, '');
            const p = parseSheetAddress(ref);
            if (!p || !p.sheet || !m.sheetByKey(p.sheet)) throw new SimError('InvalidReference', `Invalid reference ${ref}.`);
            m.wb.definedNames.add(ref, name);
            return 10;
          });
          return item;
        },
        getItem(name: string) {
          return {
            delete() {
              ctx.enqueue(40, () => {
                const m = model();
                const had = definedNames(m.wb).some((n) => n.name === name) || broken(m).has(name) || m.constantNames.has(name);
                if (!had) throw new SimError('ItemNotFound', `The requested resource doesn't exist (name '${name}').`);
                broken(m).delete(name);
                m.constantNames.delete(name);
                m.wb.definedNames.model = (m.wb.definedNames.model as DefinedName[]).filter((n) => n.name !== name);
                return 5;
              });
            },
          };
        },
      };
      namesOf.set(this, names);
      return names;
    },
  });

  // ---- worksheets.add / worksheet.delete
  let seq = 0;
  (SimWorksheetCollection.prototype as any).add = function (this: SimWorksheetCollection, name: string) {
    const ctx = ctxOf(this);
    let created: SheetModel | null = null;
    ctx.enqueue(jsonBytes(name), () => {
      const m = ctx.model;
      if (m.sheets.some((s) => s.ws.name.toLowerCase() === String(name).toLowerCase())) {
        throw new SimError('InvalidArgument', `A worksheet named '${name}' already exists.`);
      }
      const ws = m.wb.addWorksheet(name);
      seq++;
      created = { id: `{00000000-0001-0000-C000-${String(1000 + seq).padStart(12, '0')}}`, ws, cfs: [] };
      m.sheets.push(created);
      return 20;
    });
    return new SimWorksheet(ctx, () => {
      if (!created) throw new SimError('GeneralException', 'The worksheet was not created.');
      return created;
    });
  };
  const sheetOf = (w: any): SheetModel => {
    const s = w.target() as SheetModel | null;
    if (!s) throw new SimError('InvalidOperation', 'The object is a null object.');
    return s;
  };
  (SimWorksheet.prototype as any).delete = function (this: SimWorksheet) {
    const ctx = ctxOf(this);
    ctx.enqueue(40, () => {
      const s = sheetOf(this);
      const m = ctx.model;
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
      return 5;
    });
  };

  // ---- worksheet properties: gridlines, tab colour, freeze panes, page layout, page breaks
  const view = (ws: ExcelJS.Worksheet): Partial<ExcelJS.WorksheetView> => ({ ...((ws.views?.[0] ?? {}) as object) });
  const wsSetter = (apply: (ws: ExcelJS.Worksheet, v: any) => void) =>
    function (this: SimWorksheet, v: any) {
      queuedSetter(ctxOf(this), (x) => apply(sheetOf(this).ws, x))(v);
    };
  Object.defineProperty(SimWorksheet.prototype, 'showGridlines', {
    set: wsSetter((ws, v) => (ws.views = [{ ...view(ws), showGridLines: Boolean(v) } as ExcelJS.WorksheetView])),
  });
  Object.defineProperty(SimWorksheet.prototype, 'tabColor', {
    set: wsSetter((ws, v) => (ws.properties.tabColor = { argb: argb(v) })),
  });
  Object.defineProperty(SimWorksheet.prototype, 'freezePanes', {
    get(this: SimWorksheet) {
      return {
        freezeRows: (n: number) => {
          queuedSetter(ctxOf(this), (k) => {
            const ws = sheetOf(this).ws;
            ws.views = [{ ...view(ws), state: 'frozen', xSplit: 0, ySplit: k } as ExcelJS.WorksheetView];
          })(n);
        },
      };
    },
  });
  Object.defineProperty(SimWorksheet.prototype, 'pageLayout', {
    get(this: SimWorksheet) {
      const ctx = ctxOf(this);
      const setup = (apply: (ps: Partial<ExcelJS.PageSetup>, v: any) => void) =>
        queuedSetter(ctx, (v) => {
          const ws = sheetOf(this).ws;
          const ps = { ...ws.pageSetup };
          apply(ps, v);
          ws.pageSetup = ps as ExcelJS.PageSetup;
        });
      const margin = (key: keyof ExcelJS.Margins) =>
        setup((ps, v) => {
          ps.margins = { ...(ps.margins as ExcelJS.Margins), [key]: Number(v) / 72 };
        });
      const defaultForAllPages = {};
      defineSetters(defaultForAllPages, {
        centerFooter: queuedSetter(ctx, (v) => {
          const ws = sheetOf(this).ws;
          ws.headerFooter = { ...ws.headerFooter, oddFooter: `&C${v}` };
        }),
      });
      const pl: any = {
        setPrintTitleRows: (rows: string) =>
          setup((ps, v) => {
            ps.printTitlesRow = String(v).replace(/\$/g, '');
          })(rows),
        headersFooters: { defaultForAllPages },
      };
      defineSetters(pl, {
        orientation: setup((ps, v) => (ps.orientation = String(v).toLowerCase() as 'landscape' | 'portrait')),
        paperSize: setup((ps, v) => {
          if (v !== 'A4') throw new SimError('InvalidArgument', `Paper ${v} is not simulated.`);
          ps.paperSize = 9;
        }),
        zoom: setup((ps, v) => {
          ps.fitToPage = true;
          ps.fitToWidth = v.horizontalFitToPages;
          // An unspecified page count is automatic: OOXML writes it as 0.
          ps.fitToHeight = v.verticalFitToPages ?? 0;
        }),
        centerHorizontally: setup((ps, v) => (ps.horizontalCentered = Boolean(v))),
        leftMargin: margin('left'),
        rightMargin: margin('right'),
        topMargin: margin('top'),
        bottomMargin: margin('bottom'),
        headerMargin: margin('header'),
        footerMargin: margin('footer'),
      });
      return pl;
    },
  });
  Object.defineProperty(SimWorksheet.prototype, 'horizontalPageBreaks', {
    get(this: SimWorksheet) {
      return {
        add: (address: string) => {
          queuedSetter(ctxOf(this), (a) => {
            const p = parseA1(String(a).replace(/\$/g, ''));
            if (!p) throw new SimError('InvalidArgument', `Invalid page break ${a}.`);
            // A break above 1-based row r+1 is ExcelJS's break after row r.
            if (p.r > 0) sheetOf(this).ws.getRow(p.r).addPageBreak();
          })(address);
        },
      };
    },
  });

  // ---- range.format / rangeAreas.format, merge, hyperlink
  const rangeTarget = (r: any) => () => {
    const t = r.target() as { sheet: SheetModel; area: Area } | null;
    if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
    return { sheet: t.sheet, areas: [t.area] };
  };
  Object.defineProperty(SimRange.prototype, 'format', {
    get(this: SimRange) {
      return makeFormat(ctxOf(this), rangeTarget(this));
    },
  });
  Object.defineProperty(SimRangeAreas.prototype, 'format', {
    get(this: SimRangeAreas) {
      return makeFormat(ctxOf(this), () => {
        const t = (this as any).target() as { sheet: SheetModel; areas: Area[] } | null;
        if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
        return t;
      });
    },
  });
  // Merging checks overlaps with a per-sheet cell index (Excel refuses to merge across a merged area), then
  // records the merge without ExcelJS's quadratic check.
  const mergedCells = new WeakMap<ExcelJS.Worksheet, Set<number>>();
  (SimRange.prototype as any).merge = function (this: SimRange) {
    const at = rangeTarget(this);
    queuedSetter(ctxOf(this), () => {
      const t = at();
      const a = t.areas[0];
      let set = mergedCells.get(t.sheet.ws);
      if (!set) {
        set = new Set();
        for (const m of t.sheet.ws.model.merges ?? []) {
          const p = parseSheetAddress(m);
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
    })(null);
  };
  Object.defineProperty(SimRange.prototype, 'hyperlink', {
    set(this: SimRange, v: { documentReference?: string; textToDisplay?: string; screenTip?: string }) {
      const at = rangeTarget(this);
      queuedSetter(ctxOf(this), (h) => {
        const t = at();
        const a = t.areas[0];
        const cell = t.sheet.ws.getCell(a.r0 + 1, a.c0 + 1);
        const text = h.textToDisplay ?? String(cell.value ?? '');
        cell.value = { text, hyperlink: h.documentReference, tooltip: h.screenTip } as ExcelJS.CellValue;
      })(v);
    },
  });

  // ---- data bars
  Object.defineProperty(SimConditionalFormatProxy.prototype, 'dataBar', {
    get(this: SimConditionalFormatProxy) {
      const ctx = ctxOf(this);
      const onBar = (apply: (bar: any, v: any) => void) =>
        queuedSetter(ctx, (v) => {
          const t = (this as any).target();
          if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
          if (t.cf.type !== 'DataBar') throw new SimError('InvalidOperation', 'The conditional format is not of type DataBar.');
          t.cf.dataBar ??= {};
          apply(t.cf.dataBar, v);
        });
      const positiveFormat = {};
      defineSetters(positiveFormat, {
        fillColor: onBar((bar, v) => (bar.fillColor = String(v).toUpperCase())),
        gradientFill: onBar((bar, v) => (bar.gradientFill = Boolean(v))),
      });
      const bar: any = { positiveFormat };
      defineSetters(bar, {
        lowerBoundRule: onBar((b, v) => (b.lower = { ...v })),
        upperBoundRule: onBar((b, v) => (b.upper = { ...v })),
        showDataBarOnly: onBar((b, v) => (b.showDataBarOnly = Boolean(v))),
      });
      return bar;
    },
  });
}
