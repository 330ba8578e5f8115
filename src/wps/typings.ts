/// <reference types="wps-jsapi" />
/**
 * src/wps's structural types checked against Kingsoft's own typings of the WPS 表格 object model (npm
 * `wps-jsapi`, the `Et` namespace), the way src/excel is typed by @types/office-js (issue #17): every member the
 * adapter declares must exist in the typings, and a property of a plain type (number, string, boolean) must
 * have the typings' type — a member the typings do not have, or a type they say otherwise, fails the type check.
 * Methods are checked for existence (the typings declare most arguments `any`). Nothing here runs.
 *
 * Members outside the `Et` interfaces are checked against where the typings put them: the event service
 * (`wps.ApiEvent`) and the task panes / add-in storage of the `wps` namespace.
 */
import type {
  EtEventName,
  WpsApplication,
  WpsAreas,
  WpsBorder,
  WpsFont,
  WpsFormatCondition,
  WpsFormatConditions,
  WpsName,
  WpsNames,
  WpsPageSetup,
  WpsRange,
  WpsSheets,
  WpsValidation,
  WpsWorkbook,
  WpsWorksheet,
} from './api';

type Plain = string | number | boolean | null | undefined;

/** The members of `Ours` the typings do not have, or give another plain type; `never` when there is none. */
type Problems<Ours, Theirs> = {
  [K in keyof Ours]-?: K extends keyof Theirs
    ? NonNullable<Ours[K]> extends Plain
      ? [Theirs[K]] extends [Ours[K]]
        ? never
        : `${K & string}: ours ${Name<Ours[K]>}, typings ${Name<Theirs[K]>}`
      : never
    : `${K & string}: not in the typings`;
}[keyof Ours];
type Name<T> = T extends string ? 'string' : T extends number ? 'number' : T extends boolean ? 'boolean' : 'other';
type Conforms<Ours, Theirs> = [Problems<Ours, Theirs>] extends [never] ? true : Problems<Ours, Theirs>;

type Assert<T extends true> = T;

/** Members of the application object the typings keep outside `Et.EtApplication` (checked below). */
type OutsideEt = 'ApiEvent' | 'CreateTaskPane' | 'GetTaskPane' | 'PluginStorage';

/**
 * Where the typings are wrong, and the adapter keeps Excel's type: text properties the typings declare as
 * numbers (`Workbook.FullName`, `Name.Name`, `Name.RefersTo`: BSTRs in the object model, strings in every WPS
 * build the in-memory host imitates). They are checked for existence only.
 */
type TypingsSayNumber = 'FullName' | 'Name' | 'RefersTo';
type Exists<K extends string, T> = K extends keyof T ? true : `${K}: not in the typings`;

export type ApplicationConforms = Assert<Conforms<Omit<WpsApplication, OutsideEt>, Et.EtApplication>>;
export type WorkbookConforms = Assert<Conforms<Omit<WpsWorkbook, TypingsSayNumber>, Et.EtWorkbook>>;
export type WorkbookFullName = Assert<Exists<'FullName', Et.EtWorkbook>>;
export type SheetsConforms = Assert<Conforms<WpsSheets, Et.EtSheets>>;
export type NamesConforms = Assert<Conforms<WpsNames, Et.EtNames>>;
export type NameConforms = Assert<Conforms<Omit<WpsName, TypingsSayNumber>, Et.EtName>>;
export type NameNameRefersTo = Assert<Exists<'Name' | 'RefersTo', Et.EtName>>;
export type WorksheetConforms = Assert<Conforms<WpsWorksheet, Et.EtWorksheet>>;
export type PageSetupConforms = Assert<Conforms<WpsPageSetup, Et.EtPageSetup>>;
export type AreasConforms = Assert<Conforms<WpsAreas, Et.EtAreas>>;
export type FontConforms = Assert<Conforms<WpsFont, Et.EtFont>>;
export type BorderConforms = Assert<Conforms<WpsBorder, Et.EtBorder>>;
export type FormatConditionConforms = Assert<Conforms<WpsFormatCondition, Et.EtFormatCondition>>;
export type FormatConditionsConforms = Assert<Conforms<WpsFormatConditions, Et.EtFormatConditions>>;
export type ValidationConforms = Assert<Conforms<WpsValidation, Et.EtValidation>>;
export type RangeConforms = Assert<Conforms<WpsRange, Et.EtRange>>;

/**
 * Every event name the adapter may register is one the typings list: each is passed to the typings' own
 * overloads of `wps.ApiEvent.AddApiEventListener` (one per name), so a name they do not list fails to compile.
 * Never called.
 */
export function eventNamesAreListed(api: typeof wps.ApiEvent, f: (...args: object[]) => void): Record<EtEventName, true> {
  api.AddApiEventListener('WorkbookOpen', f);
  api.AddApiEventListener('NewWorkbook', f);
  api.AddApiEventListener('WorkbookBeforeSave', f);
  api.AddApiEventListener('WorkbookAfterSave', f);
  api.AddApiEventListener('WorkbookBeforeClose', f);
  api.AddApiEventListener('SheetSelectionChange', f);
  api.AddApiEventListener('SheetChange', f);
  api.AddApiEventListener('SheetActivate', f);
  api.AddApiEventListener('WindowActivate', f);
  api.AddApiEventListener('WindowDeactivate', f);
  // One key per name of EtEventName: a name added there and not here fails this literal.
  return {
    WorkbookOpen: true,
    NewWorkbook: true,
    WorkbookBeforeSave: true,
    WorkbookAfterSave: true,
    WorkbookBeforeClose: true,
    SheetSelectionChange: true,
    SheetChange: true,
    SheetActivate: true,
    WindowActivate: true,
    WindowDeactivate: true,
  };
}

/** Task panes and storage: where the typings put them (`wps.CreateTaskPane`, `wps.GetTaskPane`, `wps.PluginStorage`). */
export type PaneMembersExist = Assert<Exists<'CreateTaskPane' | 'GetTaskPane' | 'PluginStorage', typeof wps>>;
