/**
 * The part of the Excel JavaScript API that the template renderer (src/excel/template.ts) uses beyond the
 * report's: `range.dataValidation` (rule, prompt, errorAlert, ignoreBlanks) and `worksheet.visibility`.
 * Writes are queued and applied at `context.sync()`; a validation lands in the host's ExcelJS workbook as the
 * ExcelJS renderer writes it (one rule per area, its formula for the area's top-left cell), so a test can
 * compare the two renderers and the saved file carries the validations.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import ExcelJS from 'exceljs';
import { a1, Area } from '../domain/grid';
import { jsonBytes, SimContext, SimRange, SimWorksheet } from './client';
import { SimError } from './errors';
import type { SheetModel } from './model';

let installed = false;

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

type Validations = { model: Record<string, any> };

export function installTemplateApi(): void {
  if (installed) return;
  installed = true;
  const ctxOf = (o: any): SimContext => o.ctx as SimContext;

  Object.defineProperty(SimRange.prototype, 'dataValidation', {
    get(this: SimRange) {
      const ctx = ctxOf(this);
      const update = (apply: (dv: any, v: any) => void) => (v: any) => {
        ctx.enqueue(jsonBytes(v), () => {
          const t = (this as any).target() as { sheet: SheetModel; area: Area } | null;
          if (!t) throw new SimError('InvalidOperation', 'The object is a null object.');
          const dvs = (t.sheet.ws as unknown as { dataValidations: Validations }).dataValidations;
          const key = areaRef(t.area);
          const dv = { ...(dvs.model[key] ?? { type: 'any', formulae: [] }) };
          apply(dv, v);
          dvs.model[key] = dv;
          return 10;
        });
      };
      const obj: any = {};
      const setters: Record<string, (v: any) => void> = {
        rule: update((dv, rule) => {
          if (rule.list) {
            dv.type = 'list';
            dv.formulae = [stripEq(rule.list.source)];
            delete dv.operator;
          } else if (rule.decimal || rule.wholeNumber) {
            const r = rule.decimal ?? rule.wholeNumber;
            const op = OPERATORS[r.operator];
            if (!op) throw new SimError('InvalidArgument', `Unknown operator ${r.operator}.`);
            dv.type = rule.decimal ? 'decimal' : 'whole';
            dv.operator = op;
            dv.formulae = r.formula2 === undefined ? [stripEq(r.formula1)] : [stripEq(r.formula1), stripEq(r.formula2)];
          } else {
            throw new SimError('InvalidArgument', 'This data-validation rule is not simulated.');
          }
        }),
        prompt: update((dv, p) => {
          dv.showInputMessage = Boolean(p.showPrompt);
          dv.promptTitle = p.title;
          dv.prompt = p.message;
        }),
        errorAlert: update((dv, e) => {
          dv.showErrorMessage = Boolean(e.showAlert);
          dv.errorStyle = String(e.style).toLowerCase();
          dv.errorTitle = e.title;
          dv.error = e.message;
        }),
        ignoreBlanks: update((dv, v) => (dv.allowBlank = Boolean(v))),
      };
      for (const [k, set] of Object.entries(setters)) Object.defineProperty(obj, k, { set, enumerable: true });
      return obj;
    },
  });

  const visibility = Object.getOwnPropertyDescriptor(SimWorksheet.prototype, 'visibility');
  Object.defineProperty(SimWorksheet.prototype, 'visibility', {
    get(this: SimWorksheet) {
      return visibility?.get ? visibility.get.call(this) : (this as any).get('visibility');
    },
    set(this: SimWorksheet, v: string) {
      ctxOf(this).enqueue(jsonBytes(v), () => {
        const s = (this as any).target() as SheetModel | null;
        if (!s) throw new SimError('InvalidOperation', 'The object is a null object.');
        const state = v === 'Hidden' ? 'hidden' : v === 'VeryHidden' ? 'veryHidden' : v === 'Visible' ? 'visible' : null;
        if (!state) throw new SimError('InvalidArgument', `Unknown visibility ${v}.`);
        s.ws.state = state;
        return 10;
      });
    },
  });
}
