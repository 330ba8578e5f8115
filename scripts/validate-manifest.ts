/**
 * Offline validator for the PerfSheet add-in only XML manifest (manifest.xml).
 *
 *   npm run validate:manifest                 # checks ./manifest.xml
 *   npx ts-node --transpile-only scripts/validate-manifest.ts path/to/manifest.xml [--root DIR] [--json]
 *
 * Prints every problem in Chinese and English and exits 1 when there is at least one error
 * (warnings alone exit 0). It checks:
 *   - well-formed XML;
 *   - the element structure of the official manifest schema for a TaskPaneApp: which children each
 *     element may have, in which order, how many times, which attributes, in which XML namespace;
 *   - value formats: Id is a GUID, Version is n.n.n.n, culture names, permissions, icon sizes;
 *   - string limits: ShortString ≤ 125 characters (DisplayName, ProviderName, bt:ShortStrings),
 *     LongString ≤ 250 (Description, bt:LongStrings), URL ≤ 2048, resource id ≤ 32;
 *   - every resid resolves to a resource of the right kind (Label → ShortStrings, Description →
 *     LongStrings, SourceLocation → Urls, Icon → Images), no duplicate ids, unused resources (warning);
 *   - every URL is absolute https; URLs on the dev server share one origin;
 *   - every URL under assets/ beside the task pane page (https://localhost:3000/assets/ on the dev server,
 *     <base>assets/ in a deployment build's dist/manifest.xml) maps to an existing file in <root>/assets/
 *     (<root> = the manifest's folder by default), and icons are PNGs with the
 *     declared pixel size (IHDR): bt:Image size="N" → N×N, IconUrl → 32×32, HighResolutionIconUrl → 64×64;
 *   - localisation: every localisable string/resource carries an Override for each locale the manifest
 *     localises into (here en-US), so no label is left untranslated.
 *
 * Schema source. No npm package ships the manifest XSDs (office-addin-manifest, office-addin-validator,
 * office-addin-manifest-converter and office-toolbox were inspected with `npm pack`; none contains an
 * .xsd). The element orders below are therefore encoded by hand from Microsoft's published schemas:
 * OfficeAppManifestV1_1.xsd, TaskPaneAppVersionOverridesV1_0.xsd and OfficeAppBasicTypesV1_0.xsd as
 * published with the Office Add-ins documentation (docs/overview/schemas/taskpane in the
 * office-js-docs-pr repository), and the [MS-OWEMXML] open specification (section 2/5.7, which adds
 * OverriddenByRibbonApi, Enabled and Runtimes). Only element names, order, cardinality and the simple
 * type limits are taken over, as data. © Microsoft Corporation for the schema content.
 */
import * as fs from 'fs';
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// ---------------------------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------------------------

export type Severity = 'error' | 'warning';

export type ProblemCode =
  | 'xml'
  | 'root'
  | 'namespace'
  | 'order'
  | 'unexpected-element'
  | 'missing-element'
  | 'too-many'
  | 'unexpected-text'
  | 'attribute-missing'
  | 'attribute-unexpected'
  | 'xsi-type'
  | 'format'
  | 'length'
  | 'resid-missing'
  | 'resid-kind'
  | 'duplicate-id'
  | 'unused-resource'
  | 'https'
  | 'origin'
  | 'asset-missing'
  | 'icon-size'
  | 'icon-format'
  | 'icon-file-size'
  | 'icon-sizes-incomplete'
  | 'image-size-conflict'
  | 'host-mismatch'
  | 'locale-missing';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  /** Element path such as OfficeApp/VersionOverrides/Resources/Images/Image[2]. */
  path: string;
  /** 1-based line of the element in the manifest, when known. */
  line?: number;
  zh: string;
  en: string;
}

export interface ValidationStats {
  elements: number;
  resids: number;
  resources: number;
  urls: number;
  iconsChecked: number;
}

export interface ValidationResult {
  ok: boolean;
  problems: Problem[];
  errors: Problem[];
  warnings: Problem[];
  stats: ValidationStats;
}

export interface ValidateOptions {
  /** Directory that contains assets/ (the project root). Default: the current directory. */
  rootDir?: string;
  /**
   * URL path under which assets/ is served. Default: `assets/` beside the task pane page (SourceLocation), i.e.
   * '/assets/' on the dev server and '/addin/assets/' for a build with --env origin=https://host/addin/.
   */
  assetsUrlPath?: string;
}

// ---------------------------------------------------------------------------------------------
// Namespaces and schema model (data encoded from the published XSDs, see header)
// ---------------------------------------------------------------------------------------------

export const NS = {
  app: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  vo: 'http://schemas.microsoft.com/office/taskpaneappversionoverrides',
  vo11: 'http://schemas.microsoft.com/office/taskpaneappversionoverrides/1.1',
  bt: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

type SimpleKind =
  | 'UUID'
  | 'Version'
  | 'ShortString'
  | 'LongString'
  | 'NonEmpty'
  | 'URL'
  | 'CultureName'
  | 'ReferenceId'
  | 'ShortVersion'
  | 'Permissions'
  | 'ImageSize'
  | 'Boolean'
  | 'AppDomain';

type ResKind = 'image' | 'url' | 'short' | 'long';

interface AttrSpec {
  kind: SimpleKind;
  required: boolean;
}

interface ElementSpec {
  name: string;
  type: string;
  min: number;
  max: number;
  /** Elements of one xs:choice share a slot: they may be mixed, in any order, at that position. */
  slot?: number;
  /** Namespace of the element when it differs from the declaring type's namespace (xs:any slots). */
  ns?: string;
}

interface TypeSpec {
  /** Namespace of the child elements declared by this type (elementFormDefault="qualified"). */
  childNs: string;
  seq: ElementSpec[];
  attrs: Record<string, AttrSpec>;
  /** Simple (text-only) content. */
  text?: SimpleKind;
  /** Abstract type: concrete type chosen by xsi:type. */
  xsiTypes?: Record<string, string>;
  /** The element must carry exactly this xsi:type. */
  fixedXsiType?: string;
  /** Content is not checked (lax xs:any). */
  lax?: boolean;
  /** Resource definition (bt:Image, bt:Url, bt:String). */
  defines?: ResKind;
  /** resid reference of this kind. */
  refers?: ResKind;
}

const INF = Number.POSITIVE_INFINITY;
const el = (name: string, type: string, min = 1, max = 1, ns?: string): ElementSpec => ({ name, type, min, max, ns });
const req = (kind: SimpleKind): AttrSpec => ({ kind, required: true });
const opt = (kind: SimpleKind): AttrSpec => ({ kind, required: false });
const textType = (ns: string, kind: SimpleKind): TypeSpec => ({ childNs: ns, seq: [], attrs: {}, text: kind });

function localeAware(ns: string, valueKind: SimpleKind): TypeSpec {
  return {
    childNs: ns,
    seq: [el('Override', `Override:${valueKind}:${ns}`, 0, INF)],
    attrs: { DefaultValue: req(valueKind) },
  };
}
function override(ns: string, valueKind: SimpleKind): TypeSpec {
  return { childNs: ns, seq: [], attrs: { Locale: req('CultureName'), Value: req(valueKind) } };
}
function resource(kind: ResKind, valueKind: SimpleKind): TypeSpec {
  return {
    childNs: NS.bt,
    seq: [el('Override', `Override:${valueKind}:${NS.bt}`, 0, INF)],
    attrs: { id: req('ReferenceId'), DefaultValue: req(valueKind) },
    defines: kind,
  };
}
function requirements(ns: string, prefix: string): Record<string, TypeSpec> {
  return {
    [`${prefix}Requirements`]: { childNs: ns, seq: [el('Sets', `${prefix}Sets`, 0), el('Methods', `${prefix}Methods`, 0)], attrs: {} },
    [`${prefix}Sets`]: { childNs: ns, seq: [el('Set', `${prefix}Set`, 1, INF)], attrs: { DefaultMinVersion: opt('ShortVersion') } },
    [`${prefix}Set`]: { childNs: ns, seq: [], attrs: { Name: req('ShortString'), MinVersion: opt('ShortVersion') } },
    [`${prefix}Methods`]: { childNs: ns, seq: [el('Method', `${prefix}Method`, 1, INF)], attrs: {} },
    [`${prefix}Method`]: { childNs: ns, seq: [], attrs: { Name: req('LongString') } },
  };
}

const LAX: TypeSpec = { childNs: '', seq: [], attrs: {}, lax: true };
const refType = (kind: ResKind): TypeSpec => ({ childNs: NS.vo, seq: [], attrs: { resid: req('ReferenceId') }, refers: kind });

/** Button/Menu/MenuItem share the UIControl base: OverriddenByRibbonApi?, Label, Supertip, then Icon. */
const uiControlHead = (iconMin: number): ElementSpec[] => [
  el('OverriddenByRibbonApi', 'Boolean', 0),
  el('Label', 'ShortRef'),
  el('Supertip', 'Supertip'),
  el('Icon', 'IconList', iconMin),
];

export const SCHEMA: Record<string, TypeSpec> = {
  // ---- OfficeAppManifestV1_1.xsd: OfficeApp (abstract base) + TaskPaneApp extension
  TaskPaneApp: {
    childNs: NS.app,
    attrs: {},
    seq: [
      el('Id', 'UUID'),
      el('AlternateId', 'AlternateId', 0),
      el('Version', 'Version'),
      el('ProviderName', 'ShortString'),
      el('DefaultLocale', 'CultureName'),
      el('DisplayName', 'ShortLocaleAwareSetting'),
      el('Description', 'LongLocaleAwareSetting'),
      el('IconUrl', 'URLLocaleAwareSetting', 0),
      el('HighResolutionIconUrl', 'URLLocaleAwareSetting', 0),
      el('SupportUrl', 'URLLocaleAwareSetting', 0),
      el('AppDomains', 'AppDomains', 0),
      el('Hosts', 'AppHosts', 0),
      // TaskPaneApp extension (appended after the base sequence)
      el('Requirements', 'AppRequirements', 0),
      el('DefaultSettings', 'TaskPaneAppSettings'),
      el('Permissions', 'Permissions'),
      el('Dictionary', 'Lax', 0),
      el('VersionOverrides', 'VersionOverridesV1_0', 0, 1, NS.vo),
      el('Signature', 'Lax', 0, 1, NS.dsig),
    ],
  },
  UUID: textType(NS.app, 'UUID'),
  AlternateId: textType(NS.app, 'NonEmpty'),
  Version: textType(NS.app, 'Version'),
  ShortString: textType(NS.app, 'ShortString'),
  CultureName: textType(NS.app, 'CultureName'),
  Permissions: textType(NS.app, 'Permissions'),
  ShortLocaleAwareSetting: localeAware(NS.app, 'ShortString'),
  LongLocaleAwareSetting: localeAware(NS.app, 'LongString'),
  URLLocaleAwareSetting: localeAware(NS.app, 'URL'),
  [`Override:ShortString:${NS.app}`]: override(NS.app, 'ShortString'),
  [`Override:LongString:${NS.app}`]: override(NS.app, 'LongString'),
  [`Override:URL:${NS.app}`]: override(NS.app, 'URL'),
  AppDomains: { childNs: NS.app, seq: [el('AppDomain', 'AppDomain', 1, INF)], attrs: {} },
  AppDomain: textType(NS.app, 'AppDomain'),
  AppHosts: { childNs: NS.app, seq: [el('Host', 'AppHost', 1, INF)], attrs: {} },
  AppHost: { childNs: NS.app, seq: [], attrs: { Name: req('ShortString') } },
  ...requirements(NS.app, 'App'),
  TaskPaneAppSettings: { childNs: NS.app, seq: [el('SourceLocation', 'URLLocaleAwareSetting')], attrs: {} },
  Lax: LAX,

  // ---- TaskPaneAppVersionOverridesV1_0.xsd
  VersionOverridesV1_0: {
    childNs: NS.vo,
    fixedXsiType: 'VersionOverridesV1_0',
    attrs: {},
    seq: [
      el('Description', 'LongRef', 0),
      el('Requirements', 'BtRequirements', 0),
      el('Hosts', 'VoHosts', 0),
      el('Resources', 'Resources', 0),
      el('WebApplicationInfo', 'Lax', 0),
      el('EquivalentAddins', 'Lax', 0),
      el('VersionOverrides', 'Lax', 0, 1, NS.vo11),
    ],
  },
  // bt:Requirements (inside VersionOverrides) holds exactly one Sets and no Methods.
  ...requirements(NS.bt, 'Bt'),
  BtRequirements: { childNs: NS.bt, seq: [el('Sets', 'BtSets')], attrs: {} },
  VoHosts: { childNs: NS.vo, seq: [el('Host', 'VoHost', 1, INF)], attrs: {} },
  VoHost: {
    childNs: NS.vo,
    seq: [],
    attrs: {},
    xsiTypes: { Workbook: 'VoHostApp', Document: 'VoHostApp', Presentation: 'VoHostApp', Notebook: 'VoHostApp' },
  },
  VoHostApp: {
    childNs: NS.vo,
    attrs: {},
    seq: [el('Runtimes', 'Lax', 0), el('AllFormFactors', 'Lax', 0), el('DesktopFormFactor', 'FormFactor', 0)],
  },
  FormFactor: {
    childNs: NS.vo,
    attrs: {},
    seq: [el('GetStarted', 'GetStarted', 0), el('FunctionFile', 'UrlRef', 0), el('ExtensionPoint', 'ExtensionPoint', 1, INF)],
  },
  GetStarted: {
    childNs: NS.vo,
    attrs: {},
    seq: [el('Title', 'ShortRef'), el('Description', 'LongRef'), el('LearnMoreUrl', 'UrlRef')],
  },
  ExtensionPoint: {
    childNs: NS.vo,
    seq: [],
    attrs: {},
    xsiTypes: { PrimaryCommandSurface: 'CommandSurface', ContextMenu: 'ContextMenu', CustomFunctions: 'Lax' },
  },
  CommandSurface: {
    childNs: NS.vo,
    attrs: {},
    seq: [el('OfficeTab', 'OfficeTab', 0, INF), el('CustomTab', 'CustomTab', 0, INF)],
  },
  ContextMenu: { childNs: NS.vo, attrs: {}, seq: [el('OfficeMenu', 'OfficeMenu', 1, INF)] },
  OfficeMenu: { childNs: NS.vo, attrs: { id: req('ShortString') }, seq: [el('Control', 'Control', 1, INF)] },
  OfficeTab: { childNs: NS.vo, attrs: { id: req('ShortString') }, seq: [el('Group', 'Group', 1, INF)] },
  // [MS-OWEMXML]: a choice of Group / OfficeGroup (mixed, unbounded), then Label, then InsertBefore | InsertAfter.
  CustomTab: {
    childNs: NS.vo,
    attrs: { id: req('ShortString') },
    seq: [
      { ...el('Group', 'Group', 0, INF), slot: 0 },
      { ...el('OfficeGroup', 'OfficeGroup', 0, INF), slot: 0 },
      { ...el('Label', 'ShortRef'), slot: 1 },
      { ...el('InsertBefore', 'VoShortString', 0), slot: 2 },
      { ...el('InsertAfter', 'VoShortString', 0), slot: 2 },
    ],
  },
  OfficeGroup: { childNs: NS.vo, attrs: { id: req('ShortString') }, seq: [] },
  Group: {
    childNs: NS.vo,
    attrs: { id: req('ShortString') },
    seq: [el('OverriddenByRibbonApi', 'Boolean', 0), el('Label', 'ShortRef'), el('Icon', 'IconList'), el('Control', 'Control', 1, INF)],
  },
  Control: { childNs: NS.vo, seq: [], attrs: {}, xsiTypes: { Button: 'Button', Menu: 'Menu' } },
  Button: {
    childNs: NS.vo,
    attrs: { id: req('ShortString') },
    seq: [...uiControlHead(1), el('Action', 'Action'), el('Enabled', 'Boolean', 0)],
  },
  Menu: { childNs: NS.vo, attrs: { id: req('ShortString') }, seq: [...uiControlHead(1), el('Items', 'MenuItems')] },
  MenuItems: { childNs: NS.vo, attrs: {}, seq: [el('Item', 'MenuItem', 1, INF)] },
  MenuItem: {
    childNs: NS.vo,
    attrs: { id: req('ShortString') },
    seq: [...uiControlHead(0), el('Action', 'Action'), el('Enabled', 'Boolean', 0)],
  },
  Supertip: { childNs: NS.vo, attrs: {}, seq: [el('Title', 'ShortRef'), el('Description', 'LongRef')] },
  Action: { childNs: NS.vo, seq: [], attrs: {}, xsiTypes: { ShowTaskpane: 'ShowTaskpane', ExecuteFunction: 'ExecuteFunction' } },
  ShowTaskpane: {
    childNs: NS.vo,
    attrs: {},
    seq: [el('TaskpaneId', 'VoShortString', 0), el('SourceLocation', 'UrlRef'), el('Title', 'ShortRef', 0)],
  },
  ExecuteFunction: { childNs: NS.vo, attrs: {}, seq: [el('FunctionName', 'VoLongString')] },
  VoShortString: textType(NS.vo, 'ShortString'),
  VoLongString: textType(NS.vo, 'LongString'),
  Boolean: textType(NS.vo, 'Boolean'),
  ShortRef: refType('short'),
  LongRef: refType('long'),
  UrlRef: refType('url'),

  // ---- OfficeAppBasicTypesV1_0.xsd (bt:)
  IconList: { childNs: NS.bt, attrs: {}, seq: [el('Image', 'ImageRef', 1, INF)] },
  ImageRef: { childNs: NS.bt, seq: [], attrs: { size: req('ImageSize'), resid: req('ReferenceId') }, refers: 'image' },
  Resources: {
    childNs: NS.bt,
    attrs: {},
    seq: [
      el('Images', 'ImageResources', 0),
      el('Urls', 'UrlResources', 0),
      el('ShortStrings', 'ShortStringResources', 0),
      el('LongStrings', 'LongStringResources', 0),
    ],
  },
  ImageResources: { childNs: NS.bt, attrs: {}, seq: [el('Image', 'ImageResource', 0, INF)] },
  UrlResources: { childNs: NS.bt, attrs: {}, seq: [el('Url', 'UrlResource', 0, INF)] },
  ShortStringResources: { childNs: NS.bt, attrs: {}, seq: [el('String', 'ShortStringResource', 0, INF)] },
  LongStringResources: { childNs: NS.bt, attrs: {}, seq: [el('String', 'LongStringResource', 0, INF)] },
  ImageResource: resource('image', 'URL'),
  UrlResource: resource('url', 'URL'),
  ShortStringResource: resource('short', 'ShortString'),
  LongStringResource: resource('long', 'LongString'),
  [`Override:URL:${NS.bt}`]: override(NS.bt, 'URL'),
  [`Override:ShortString:${NS.bt}`]: override(NS.bt, 'ShortString'),
  [`Override:LongString:${NS.bt}`]: override(NS.bt, 'LongString'),
};

/** Sizes Office accepts for bt:Image in an icon list; 16, 32 and 80 are mandatory. */
export const IMAGE_SIZES = [16, 20, 24, 32, 40, 48, 64, 80];
export const MANDATORY_ICON_SIZES = [16, 32, 80];
/** OfficeAppBasicTypes: "The image file size should not exceed 100KB." */
export const MAX_IMAGE_BYTES = 100 * 1024;
/** Pixel size Office requires for the task pane add-in's catalogue icons. */
export const APP_ICON_SIZES: Record<string, number> = { IconUrl: 32, HighResolutionIconUrl: 64 };

const LIMITS = { ShortString: 125, LongString: 250, URL: 2048, ReferenceId: 32 } as const;

const RES_LABEL: Record<ResKind, { zh: string; en: string; container: string }> = {
  image: { zh: '图片资源', en: 'image resource', container: 'bt:Images' },
  url: { zh: 'URL 资源', en: 'URL resource', container: 'bt:Urls' },
  short: { zh: '短字符串资源', en: 'short string resource', container: 'bt:ShortStrings' },
  long: { zh: '长字符串资源', en: 'long string resource', container: 'bt:LongStrings' },
};

// ---------------------------------------------------------------------------------------------
// XML tree
// ---------------------------------------------------------------------------------------------

interface XNode {
  qname: string;
  local: string;
  prefix: string;
  ns: string | undefined;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
  line?: number;
  path: string;
  /** prefix -> namespace URI in scope ('' = default namespace). */
  scope: Map<string, string>;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
function lineOf(starts: number[], index: number | undefined): number | undefined {
  if (index === undefined || index < 0) return undefined;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

type Ordered = Record<string, unknown>;
const META = XMLParser.getMetaDataSymbol() as unknown as string;

function buildTree(ordered: Ordered[], starts: number[]): XNode[] {
  const out: XNode[] = [];
  const walk = (items: Ordered[], parent: XNode | null, parentPath: string, scope: Map<string, string>, sink: XNode[]) => {
    const siblingsByName = new Map<string, number>();
    const totals = new Map<string, number>();
    for (const item of items) {
      const key = Object.keys(item).find((k) => k !== ':@');
      if (key && !key.startsWith('#') && !key.startsWith('?')) totals.set(key, (totals.get(key) ?? 0) + 1);
    }
    for (const item of items) {
      const key = Object.keys(item).find((k) => k !== ':@');
      if (!key) continue;
      if (key === '#text') {
        if (parent) parent.text += String(item[key] ?? '');
        continue;
      }
      if (key.startsWith('#') || key.startsWith('?')) continue; // comments, processing instructions
      const attrs: Record<string, string> = {};
      const rawAttrs = (item[':@'] ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
      const childScope = new Map(scope);
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'xmlns') childScope.set('', v);
        else if (k.startsWith('xmlns:')) childScope.set(k.slice(6), v);
      }
      const colon = key.indexOf(':');
      const prefix = colon >= 0 ? key.slice(0, colon) : '';
      const local = colon >= 0 ? key.slice(colon + 1) : key;
      const n = (siblingsByName.get(key) ?? 0) + 1;
      siblingsByName.set(key, n);
      const label = (totals.get(key) ?? 1) > 1 ? `${local}[${n}]` : local;
      const meta = (item as Record<string, unknown>)[META] as { startIndex?: number } | undefined;
      const node: XNode = {
        qname: key,
        local,
        prefix,
        ns: childScope.get(prefix),
        attrs,
        children: [],
        text: '',
        line: lineOf(starts, meta?.startIndex),
        path: parentPath ? `${parentPath}/${label}` : label,
        scope: childScope,
      };
      sink.push(node);
      const kids = item[key];
      if (Array.isArray(kids)) walk(kids as Ordered[], node, node.path, childScope, node.children);
    }
  };
  walk(ordered, null, '', new Map(), out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

interface RefUse {
  kind: ResKind;
  resid: string;
  size?: number;
  node: XNode;
}
interface ResDef {
  kind: ResKind;
  id: string;
  node: XNode;
  values: { value: string; node: XNode }[];
  locales: string[];
}
interface UrlUse {
  url: string;
  node: XNode;
  /** Element that owns the URL: IconUrl, SourceLocation, Image, Url, Override, AppDomain... */
  owner: string;
}

const charLen = (s: string): number => Array.from(s).length;

const PATTERNS = {
  UUID: /^(urn:uuid:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$|^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$/,
  Version: /^[0-9]{1,5}(\.[0-9]{1,5}){3}$/,
  CultureName: /^([a-zA-Z]{2,3}-[a-zA-Z0-9]{3,8}(-[a-zA-Z]{2,3})?|[a-zA-Z]{2,3}(-[a-zA-Z]{2,3}(_tradnl|\.pseudo|-[a-zA-Z]{4,8})?)?)$/,
  ShortVersion: /^[0-9]{1,5}\.[0-9]{1,5}$/,
  Boolean: /^(true|false|1|0)$/,
};
const PERMISSIONS = ['Restricted', 'ReadDocument', 'ReadAllDocument', 'WriteDocument', 'ReadWriteDocument'];

class Checker {
  readonly problems: Problem[] = [];
  readonly refs: RefUse[] = [];
  readonly defs: ResDef[] = [];
  readonly urls: UrlUse[] = [];
  readonly controlIds: { id: string; node: XNode }[] = [];
  readonly localised: { node: XNode; locales: string[] }[] = [];
  elements = 0;

  add(severity: Severity, code: ProblemCode, node: XNode | undefined, zh: string, en: string, pathOverride?: string): void {
    this.problems.push({ severity, code, path: pathOverride ?? node?.path ?? '', line: node?.line, zh, en });
  }

  /** Validates a simple value; returns false when it is not valid. */
  simple(kind: SimpleKind, raw: string, node: XNode, what: string, owner: string): boolean {
    const v = raw;
    const lenCheck = (limit: number, zhName: string, enName: string): boolean => {
      const n = charLen(v);
      if (n === 0) {
        this.add('error', 'length', node, `${what} 不能为空（${zhName}，1–${limit} 个字符）。`, `${what} must not be empty (${enName}, 1–${limit} characters).`);
        return false;
      }
      if (n > limit) {
        this.add(
          'error',
          'length',
          node,
          `${what} 太长：${n} 个字符，${zhName}最多 ${limit} 个字符。`,
          `${what} is too long: ${n} characters; a ${enName} holds at most ${limit}.`,
        );
        return false;
      }
      return true;
    };
    switch (kind) {
      case 'ShortString':
        return lenCheck(LIMITS.ShortString, '短字符串 ShortString ', 'ShortString');
      case 'LongString':
        return lenCheck(LIMITS.LongString, '长字符串 LongString ', 'LongString');
      case 'ReferenceId':
        return lenCheck(LIMITS.ReferenceId, '资源 id ', 'resource id');
      case 'NonEmpty':
        return lenCheck(Number.MAX_SAFE_INTEGER, '', 'value');
      case 'URL': {
        if (!lenCheck(LIMITS.URL, 'URL ', 'URL')) return false;
        this.urls.push({ url: v, node, owner });
        return true;
      }
      case 'AppDomain': {
        if (!lenCheck(LIMITS.LongString, '长字符串 LongString ', 'LongString')) return false;
        this.urls.push({ url: v, node, owner });
        return true;
      }
      case 'UUID':
        if (!PATTERNS.UUID.test(v)) {
          this.add('error', 'format', node, `${what} 不是 GUID：“${v}”（应形如 xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx）。`, `${what} is not a GUID: "${v}" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`);
          return false;
        }
        return true;
      case 'Version':
        if (!PATTERNS.Version.test(v)) {
          this.add('error', 'format', node, `${what} 格式错误：“${v}”，应为 n.n.n.n（四段数字，每段最多 5 位）。`, `${what} has the wrong format: "${v}"; expected n.n.n.n (four numbers of up to 5 digits).`);
          return false;
        }
        return true;
      case 'CultureName':
        if (!PATTERNS.CultureName.test(v)) {
          this.add('error', 'format', node, `${what} 不是合法的区域名称：“${v}”（例如 zh-CN、en-US）。`, `${what} is not a valid culture name: "${v}" (e.g. zh-CN, en-US).`);
          return false;
        }
        return true;
      case 'ShortVersion':
        if (!PATTERNS.ShortVersion.test(v)) {
          this.add('error', 'format', node, `${what} 格式错误：“${v}”，应为 主版本.次版本（如 1.14）。`, `${what} has the wrong format: "${v}"; expected major.minor (e.g. 1.14).`);
          return false;
        }
        return true;
      case 'Boolean':
        if (!PATTERNS.Boolean.test(v)) {
          this.add('error', 'format', node, `${what} 应为 true 或 false，实际为“${v}”。`, `${what} must be true or false, got "${v}".`);
          return false;
        }
        return true;
      case 'Permissions':
        if (!PERMISSIONS.includes(v)) {
          this.add('error', 'format', node, `${what} 的取值“${v}”无效，可选：${PERMISSIONS.join('、')}。`, `${what} value "${v}" is invalid; allowed: ${PERMISSIONS.join(', ')}.`);
          return false;
        }
        return true;
      case 'ImageSize': {
        const n = Number(v);
        if (!/^[0-9]+$/.test(v) || !IMAGE_SIZES.includes(n)) {
          this.add('error', 'format', node, `${what} 的取值“${v}”无效，图标尺寸只能是 ${IMAGE_SIZES.join('、')}。`, `${what} value "${v}" is invalid; icon sizes are ${IMAGE_SIZES.join(', ')}.`);
          return false;
        }
        return true;
      }
    }
  }

  xsiType(node: XNode): string | undefined {
    for (const [k, v] of Object.entries(node.attrs)) {
      const c = k.indexOf(':');
      if (c > 0 && k.slice(c + 1) === 'type' && node.scope.get(k.slice(0, c)) === NS.xsi) {
        const vc = v.indexOf(':');
        return vc >= 0 ? v.slice(vc + 1) : v;
      }
    }
    return undefined;
  }

  isXsiTypeAttr(node: XNode, k: string): boolean {
    const c = k.indexOf(':');
    return c > 0 && k.slice(c + 1) === 'type' && node.scope.get(k.slice(0, c)) === NS.xsi;
  }

  element(node: XNode, typeName: string): void {
    this.elements++;
    let type = SCHEMA[typeName];
    if (!type) throw new Error(`internal: unknown schema type ${typeName}`);
    if (type.lax) return;
    const xsi = this.xsiType(node);
    if (type.xsiTypes) {
      const allowed = Object.keys(type.xsiTypes);
      if (!xsi) {
        this.add('error', 'xsi-type', node, `<${node.local}> 缺少 xsi:type 属性（可选：${allowed.join('、')}）。`, `<${node.local}> lacks its xsi:type attribute (one of ${allowed.join(', ')}).`);
        return;
      }
      const concrete = type.xsiTypes[xsi];
      if (!concrete) {
        this.add('error', 'xsi-type', node, `<${node.local}> 的 xsi:type="${xsi}" 无效，可选：${allowed.join('、')}。`, `<${node.local}> has invalid xsi:type="${xsi}"; allowed: ${allowed.join(', ')}.`);
        return;
      }
      type = SCHEMA[concrete];
      if (type.lax) return;
    } else if (type.fixedXsiType) {
      if (xsi !== type.fixedXsiType) {
        this.add(
          'error',
          'xsi-type',
          node,
          `<${node.local}> 的 xsi:type 必须是 "${type.fixedXsiType}"，实际为 ${xsi ? `"${xsi}"` : '空'}。`,
          `<${node.local}> must have xsi:type="${type.fixedXsiType}", found ${xsi ? `"${xsi}"` : 'none'}.`,
        );
      }
    } else if (xsi) {
      this.add('error', 'xsi-type', node, `<${node.local}> 不应带 xsi:type="${xsi}"。`, `<${node.local}> must not carry xsi:type="${xsi}".`);
    }

    // Attributes
    for (const [name, spec] of Object.entries(type.attrs)) {
      const value = node.attrs[name];
      if (value === undefined) {
        if (spec.required) this.add('error', 'attribute-missing', node, `<${node.local}> 缺少必需属性 ${name}。`, `<${node.local}> lacks the required attribute ${name}.`);
        continue;
      }
      this.simple(spec.kind, value, node, `<${node.local}> 的 ${name}`, node.local);
    }
    for (const name of Object.keys(node.attrs)) {
      if (name === 'xmlns' || name.startsWith('xmlns:') || this.isXsiTypeAttr(node, name) || name in type.attrs) continue;
      this.add('error', 'attribute-unexpected', node, `<${node.local}> 不允许有属性 ${name}。`, `<${node.local}> does not allow the attribute ${name}.`);
    }

    // Resource bookkeeping
    if (type.refers && node.attrs.resid !== undefined) {
      this.refs.push({ kind: type.refers, resid: node.attrs.resid, size: type.refers === 'image' ? Number(node.attrs.size) : undefined, node });
    }
    if (type.defines && node.attrs.id !== undefined) {
      const def: ResDef = { kind: type.defines, id: node.attrs.id, node, values: [], locales: [] };
      if (node.attrs.DefaultValue !== undefined) def.values.push({ value: node.attrs.DefaultValue, node });
      for (const o of node.children) {
        if (o.local === 'Override') {
          if (o.attrs.Value !== undefined) def.values.push({ value: o.attrs.Value, node: o });
          if (o.attrs.Locale !== undefined) def.locales.push(o.attrs.Locale);
        }
      }
      this.defs.push(def);
    }
    if ((typeName === 'ShortLocaleAwareSetting' || typeName === 'LongLocaleAwareSetting') && node.local !== 'Override') {
      this.localised.push({ node, locales: node.children.filter((c) => c.local === 'Override').map((c) => c.attrs.Locale ?? '') });
    }
    if ((node.local === 'Control' || node.local === 'Group' || node.local === 'Item') && node.attrs.id !== undefined) {
      this.controlIds.push({ id: node.attrs.id, node });
    }

    // Simple content
    if (type.text) {
      if (node.children.length > 0) {
        this.add('error', 'unexpected-element', node.children[0], `<${node.local}> 只能包含文本，不能包含子元素 <${node.children[0].local}>。`, `<${node.local}> holds text only, not the child element <${node.children[0].local}>.`);
      }
      this.simple(type.text, node.text.trim(), node, `<${node.local}>`, node.local);
      return;
    }
    if (node.text.trim() !== '') {
      this.add('error', 'unexpected-text', node, `<${node.local}> 不应包含文本“${node.text.trim().slice(0, 40)}”。`, `<${node.local}> must not contain text "${node.text.trim().slice(0, 40)}".`);
    }
    this.sequence(node, type);
  }

  /**
   * Matches the children of `node` against the type's xs:sequence. Misplaced elements are the ones outside a
   * longest run of children whose schema positions never decrease, so one moved element gives one error
   * ("X must come after A and before B") instead of an error for every element after it.
   */
  sequence(node: XNode, type: TypeSpec): void {
    const seq = type.seq;
    const kids = node.children;
    const slots: string[][] = [];
    const slotKeys: number[] = [];
    seq.forEach((e, i) => {
      const k = e.slot ?? i;
      const at = slotKeys.indexOf(k);
      if (at >= 0) slots[at].push(e.name);
      else {
        slotKeys.push(k);
        slots.push([e.name]);
      }
    });
    const orderText = slots.map((names) => (names.length > 1 ? `(${names.join(' | ')})` : names[0])).join(' → ');
    const entry = kids.map((c) => seq.findIndex((e) => e.name === c.local));
    const slotOf = (i: number): number => seq[i].slot ?? i;
    const pos = entry.map((i) => (i < 0 ? -1 : slotOf(i)));

    // Longest non-decreasing subsequence of schema positions (ties keep the later child).
    const len = pos.map(() => 0);
    const prev = pos.map(() => -1);
    let best = -1;
    for (let i = 0; i < kids.length; i++) {
      if (pos[i] < 0) continue;
      len[i] = 1;
      for (let j = 0; j < i; j++) {
        if (pos[j] >= 0 && pos[j] <= pos[i] && len[j] + 1 >= len[i]) {
          len[i] = len[j] + 1;
          prev[i] = j;
        }
      }
      if (best < 0 || len[i] >= len[best]) best = i;
    }
    const kept = new Set<number>();
    for (let i = best; i >= 0; i = prev[i]) kept.add(i);

    const counts = seq.map(() => 0);
    kids.forEach((child, i) => {
      const idx = entry[i];
      if (idx < 0) {
        const allowed = seq.map((e) => e.name);
        this.add(
          'error',
          'unexpected-element',
          child,
          `<${child.local}> 不是 <${node.local}> 的合法子元素${seq.length ? `（允许：${allowed.join('、')}）` : '（此元素不能有子元素）'}。`,
          `<${child.local}> is not a valid child of <${node.local}>${seq.length ? ` (allowed: ${allowed.join(', ')})` : ' (this element has no children)'}.`,
        );
        return;
      }
      counts[idx]++;
      if (counts[idx] === seq[idx].max + 1) {
        this.add(
          'error',
          'too-many',
          child,
          `<${node.local}> 中 <${child.local}> 最多出现 ${seq[idx].max} 次。`,
          `<${child.local}> may appear at most ${seq[idx].max} time(s) in <${node.local}>.`,
        );
      }
      if (!kept.has(i)) {
        let after: XNode | undefined;
        let before: XNode | undefined;
        kids.forEach((k, j) => {
          if (!kept.has(j)) return;
          if (pos[j] <= pos[i]) after = k;
          else if (!before) before = k;
        });
        const zhWhere = [after ? `<${after.local}> 之后` : '', before ? `<${before.local}> 之前` : ''].filter(Boolean).join('、');
        const enWhere = [after ? `after <${after.local}>` : '', before ? `before <${before.local}>` : ''].filter(Boolean).join(' and ');
        this.add(
          'error',
          'order',
          child,
          `元素顺序错误：<${child.local}> 应位于 ${zhWhere}（<${node.local}> 的子元素顺序：${orderText}）。`,
          `Wrong element order: <${child.local}> must come ${enWhere} (children of <${node.local}> go in this order: ${orderText}).`,
        );
      }
      this.checkNs(child, seq[idx].ns ?? type.childNs);
      this.element(child, seq[idx].type);
    });
    seq.forEach((e, i) => {
      if (counts[i] < e.min) {
        this.add('error', 'missing-element', node, `<${node.local}> 缺少必需的子元素 <${e.name}>。`, `<${node.local}> lacks the required child element <${e.name}>.`);
      }
    });
  }

  checkNs(node: XNode, expected: string): void {
    if (node.ns === expected) return;
    const prefixHint = expected === NS.bt ? '（通常写作 bt: 前缀）' : '';
    const prefixHintEn = expected === NS.bt ? ' (usually written with the bt: prefix)' : '';
    this.add(
      'error',
      'namespace',
      node,
      `<${node.qname}> 的命名空间不对：应为 ${expected}${prefixHint}，实际为 ${node.ns ?? '未声明的前缀'}。`,
      `<${node.qname}> is in the wrong namespace: expected ${expected}${prefixHintEn}, found ${node.ns ?? 'an undeclared prefix'}.`,
    );
  }
}

/** Reads width and height from a PNG's IHDR chunk; null when the bytes are not a PNG. */
export function readPngSize(bytes: Buffer): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function crossChecks(c: Checker, root: XNode, opts: { rootDir: string; assetsUrlPath?: string }): number {
  // ---- resources: duplicate ids, resolution, kinds, unused
  const byId = new Map<string, ResDef[]>();
  for (const d of c.defs) byId.set(d.id, [...(byId.get(d.id) ?? []), d]);
  for (const [id, list] of byId) {
    if (list.length > 1) {
      for (const d of list.slice(1)) {
        c.add('error', 'duplicate-id', d.node, `资源 id “${id}” 重复定义（首次定义在第 ${list[0].node.line ?? '?'} 行）；id 在整个清单中必须唯一。`, `Resource id "${id}" is defined more than once (first on line ${list[0].node.line ?? '?'}); ids must be unique in the manifest.`);
      }
    }
  }
  const used = new Set<string>();
  for (const r of c.refs) {
    const list = byId.get(r.resid);
    const want = RES_LABEL[r.kind];
    if (!list) {
      c.add('error', 'resid-missing', r.node, `resid “${r.resid}” 找不到对应的资源：<${r.node.local}> 需要在 <${want.container}> 中定义 id="${r.resid}" 的${want.zh}。`, `resid "${r.resid}" does not resolve: <${r.node.local}> needs a ${want.en} with id="${r.resid}" in <${want.container}>.`);
      continue;
    }
    used.add(r.resid);
    const match = list.find((d) => d.kind === r.kind);
    if (!match) {
      const got = RES_LABEL[list[0].kind];
      c.add('error', 'resid-kind', r.node, `resid “${r.resid}” 指向的是${got.zh}（<${got.container}>），但 <${r.node.local}> 需要${want.zh}（<${want.container}>）。`, `resid "${r.resid}" points to a ${got.en} (<${got.container}>) but <${r.node.local}> needs a ${want.en} (<${want.container}>).`);
    }
  }
  for (const d of c.defs) {
    if (!used.has(d.id)) {
      c.add('warning', 'unused-resource', d.node, `资源 “${d.id}” 没有被任何 resid 引用。`, `Resource "${d.id}" is not referenced by any resid.`);
    }
  }

  // ---- icon lists: mandatory sizes; one image resource used at one size only
  const iconLists = new Map<XNode, number[]>();
  const walk = (n: XNode, visit: (n: XNode) => void): void => {
    visit(n);
    n.children.forEach((k) => walk(k, visit));
  };
  walk(root, (n) => {
    if (n.local === 'Icon' && n.ns === NS.vo) iconLists.set(n, n.children.filter((k) => k.local === 'Image').map((k) => Number(k.attrs.size)));
  });
  for (const [n, sizes] of iconLists) {
    // An image without a valid size attribute is already reported; do not report the list again.
    if (sizes.some((s) => !IMAGE_SIZES.includes(s))) continue;
    const missing = MANDATORY_ICON_SIZES.filter((s) => !sizes.includes(s));
    if (missing.length) {
      c.add('error', 'icon-sizes-incomplete', n, `<Icon> 缺少必需尺寸 ${missing.join('、')} 的图片（必需：${MANDATORY_ICON_SIZES.join('、')}）。`, `<Icon> lacks images of the mandatory size(s) ${missing.join(', ')} (required: ${MANDATORY_ICON_SIZES.join(', ')}).`);
    }
  }
  const sizeOfImage = new Map<string, { size: number; node: XNode }>();
  for (const r of c.refs) {
    if (r.kind !== 'image' || r.size === undefined || !IMAGE_SIZES.includes(r.size)) continue; // invalid sizes are reported already
    const prev = sizeOfImage.get(r.resid);
    if (prev && prev.size !== r.size) {
      c.add('error', 'image-size-conflict', r.node, `图片资源 “${r.resid}” 同时被声明为 ${prev.size}px（第 ${prev.node.line ?? '?'} 行）和 ${r.size}px。`, `Image resource "${r.resid}" is declared both ${prev.size}px (line ${prev.node.line ?? '?'}) and ${r.size}px.`);
    } else if (!prev) sizeOfImage.set(r.resid, { size: r.size, node: r.node });
  }

  // ---- URLs: https, absolute, one dev origin
  const sourceLoc = root.children.find((k) => k.local === 'DefaultSettings')?.children.find((k) => k.local === 'SourceLocation')?.attrs.DefaultValue;
  let devOrigin: string | undefined;
  try {
    const u = sourceLoc ? new URL(sourceLoc) : undefined;
    // An http task pane URL is reported as such; it is not taken as the reference origin.
    devOrigin = u && u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    devOrigin = undefined;
  }
  const parsed = new Map<UrlUse, URL>();
  for (const u of c.urls) {
    let url: URL;
    try {
      url = new URL(u.url);
    } catch {
      c.add('error', 'https', u.node, `<${u.owner}> 的地址 “${u.url}” 不是完整的 URL（需要 https://主机/路径）。`, `<${u.owner}> has "${u.url}", which is not an absolute URL (https://host/path expected).`);
      continue;
    }
    if (url.protocol !== 'https:') {
      c.add('error', 'https', u.node, `<${u.owner}> 的地址必须使用 https：“${u.url}”。Office 只加载 HTTPS 页面和图片。`, `<${u.owner}> must use https: "${u.url}". Office loads only HTTPS pages and images.`);
      continue;
    }
    parsed.set(u, url);
    const isLocal = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    if (isLocal && devOrigin && url.origin !== devOrigin) {
      c.add('error', 'origin', u.node, `<${u.owner}> 的地址 “${u.url}” 与任务窗格地址的来源 ${devOrigin} 不一致；开发服务器只有一个。`, `<${u.owner}> points to "${u.url}", whose origin differs from the task pane's ${devOrigin}; there is one dev server.`);
    }
  }

  // ---- assets: files exist, icons have the declared size
  let iconsChecked = 0;
  // assets/ lives beside the task pane page: on the dev server and on a deployment origin alike.
  let paneDir = '/';
  try {
    if (devOrigin && sourceLoc) paneDir = new URL('.', sourceLoc).pathname;
  } catch {
    /* reported above */
  }
  const assetsPath = opts.assetsUrlPath ?? `${paneDir}assets/`;
  const assetsPrefix = assetsPath.endsWith('/') ? assetsPath : `${assetsPath}/`;
  const expectedSize = (u: UrlUse): number | undefined => {
    // OfficeApp/IconUrl or OfficeApp/IconUrl/Override (localised icon)
    const parts = u.node.path.split('/');
    if (parts.length <= 3 && parts[1] in APP_ICON_SIZES) return APP_ICON_SIZES[parts[1]];
    // bt:Image DefaultValue or its bt:Override
    const def = c.defs.find((d) => d.kind === 'image' && d.values.some((v) => v.node === u.node && v.value === u.url));
    return def ? sizeOfImage.get(def.id)?.size : undefined;
  };
  for (const [u, url] of parsed) {
    const isLocal = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    // Files are checked for the dev server and for the task pane's own origin (a deployment build in dist/).
    if (!(isLocal || url.origin === devOrigin) || !url.pathname.startsWith(assetsPrefix)) continue;
    const rel = decodeURIComponent(url.pathname.slice(assetsPrefix.length));
    const file = path.join(opts.rootDir, 'assets', rel);
    if (!path.resolve(file).startsWith(path.resolve(opts.rootDir, 'assets') + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      c.add('error', 'asset-missing', u.node, `<${u.owner}> 引用的文件不存在：${url.pathname} → assets/${rel}。`, `<${u.owner}> refers to a missing file: ${url.pathname} → assets/${rel}.`);
      continue;
    }
    const want = expectedSize(u);
    if (want === undefined) continue;
    iconsChecked++;
    const bytes = fs.readFileSync(file);
    if (bytes.length > MAX_IMAGE_BYTES) {
      c.add('warning', 'icon-file-size', u.node, `图标 assets/${rel} 有 ${Math.round(bytes.length / 1024)} KB，图片资源不应超过 100 KB。`, `Icon assets/${rel} is ${Math.round(bytes.length / 1024)} KB; image resources should not exceed 100 KB.`);
    }
    const size = readPngSize(bytes);
    if (!size) {
      c.add('error', 'icon-format', u.node, `图标 assets/${rel} 不是 PNG 文件，无法核对尺寸。`, `Icon assets/${rel} is not a PNG file; its size cannot be checked.`);
      continue;
    }
    if (size.width !== want || size.height !== want) {
      c.add('error', 'icon-size', u.node, `图标尺寸不符：assets/${rel} 是 ${size.width}×${size.height} 像素，<${u.owner}> 声明为 ${want}×${want}。`, `Icon size mismatch: assets/${rel} is ${size.width}×${size.height} px but <${u.owner}> declares ${want}×${want}.`);
    }
  }

  // ---- hosts: VersionOverrides hosts must be among the base manifest's hosts
  const baseHosts = (root.children.find((k) => k.local === 'Hosts')?.children ?? []).map((h) => h.attrs.Name);
  const vo = root.children.find((k) => k.local === 'VersionOverrides');
  const voHosts = vo?.children.find((k) => k.local === 'Hosts')?.children ?? [];
  for (const h of voHosts) {
    const t = c.xsiType(h);
    if (t && baseHosts.length && !baseHosts.includes(t)) {
      c.add('error', 'host-mismatch', h, `VersionOverrides 中的 <Host xsi:type="${t}"> 不在基本清单的 <Hosts> 中（${baseHosts.join('、')}）。`, `<Host xsi:type="${t}"> in VersionOverrides is not among the base manifest's <Hosts> (${baseHosts.join(', ')}).`);
    }
  }

  // ---- control / group ids unique
  const seen = new Map<string, XNode>();
  for (const { id, node } of c.controlIds) {
    const prev = seen.get(id);
    if (prev) c.add('error', 'duplicate-id', node, `控件/组 id “${id}” 重复（第 ${prev.line ?? '?'} 行已使用）。`, `Control/group id "${id}" is used twice (already on line ${prev.line ?? '?'}).`);
    else seen.set(id, node);
  }

  // ---- localisation completeness: every localisable item has every locale the manifest uses
  const lc = (s: string): string => s.toLowerCase();
  // Display form: language lower case, region upper case (en-us -> en-US).
  const canonical = (s: string): string => s.split('-').map((p, i) => (i === 0 ? p.toLowerCase() : p.length === 2 ? p.toUpperCase() : p)).join('-');
  const defaultLocale = root.children.find((k) => k.local === 'DefaultLocale')?.text.trim() ?? '';
  const allLocales = new Map<string, string>();
  for (const d of c.defs) d.locales.forEach((l) => allLocales.set(lc(l), canonical(l)));
  for (const l of c.localised) l.locales.forEach((x) => allLocales.set(lc(x), canonical(x)));
  allLocales.delete(lc(defaultLocale));
  const needLocales = [...allLocales.values()];
  const checkLocales = (node: XNode, have: string[], label: string): void => {
    const haveLc = new Set(have.map(lc));
    const missing = needLocales.filter((l) => !haveLc.has(lc(l)));
    if (missing.length) {
      c.add('error', 'locale-missing', node, `${label} 缺少 ${missing.join('、')} 的 <Override>：清单其他部分已本地化到这些语言，此处会显示未翻译的默认文字。`, `${label} lacks an <Override> for ${missing.join(', ')}: the rest of the manifest is localised into it, so this item would show untranslated text.`);
    }
  };
  for (const l of c.localised) checkLocales(l.node, l.locales, `<${l.node.local}>`);
  for (const d of c.defs) checkLocales(d.node, d.locales, `资源/resource “${d.id}”`);

  return iconsChecked;
}

/** Validates manifest XML text. Never throws for bad input: every problem is reported. */
export function validateManifestXml(xml: string, options: ValidateOptions = {}): ValidationResult {
  const opts = { rootDir: options.rootDir ?? process.cwd(), assetsUrlPath: options.assetsUrlPath };
  const c = new Checker();
  const finish = (iconsChecked: number): ValidationResult => {
    const errors = c.problems.filter((p) => p.severity === 'error');
    const warnings = c.problems.filter((p) => p.severity === 'warning');
    return {
      ok: errors.length === 0,
      problems: c.problems,
      errors,
      warnings,
      stats: { elements: c.elements, resids: c.refs.length, resources: c.defs.length, urls: c.urls.length, iconsChecked },
    };
  };

  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (text.trim() === '') {
    c.add('error', 'xml', undefined, '清单文件是空的。', 'The manifest file is empty.', '(file)');
    return finish(0);
  }
  const wf = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (wf !== true) {
    c.problems.push({
      severity: 'error',
      code: 'xml',
      path: '(file)',
      line: wf.err.line,
      zh: `XML 格式错误（第 ${wf.err.line} 行第 ${wf.err.col} 列）：${wf.err.msg}`,
      en: `Malformed XML (line ${wf.err.line}, column ${wf.err.col}): ${wf.err.msg}`,
    });
    return finish(0);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    commentPropName: '#comment',
    captureMetaData: true,
    processEntities: true,
  });
  let ordered: Ordered[];
  try {
    ordered = parser.parse(text) as Ordered[];
  } catch (err) {
    c.add('error', 'xml', undefined, `XML 无法解析：${(err as Error).message}`, `The XML cannot be parsed: ${(err as Error).message}`, '(file)');
    return finish(0);
  }
  const roots = buildTree(ordered, lineStarts(text.replace(/\r\n?/g, '\n')));
  if (roots.length !== 1) {
    c.add('error', 'xml', undefined, `XML 必须只有一个根元素，实际有 ${roots.length} 个。`, `The XML must have exactly one root element, found ${roots.length}.`, '(file)');
    return finish(0);
  }
  const root = roots[0];
  if (root.local !== 'OfficeApp' || root.ns !== NS.app) {
    c.add('error', 'root', root, `根元素必须是命名空间 ${NS.app} 中的 <OfficeApp>，实际为 <${root.qname}>（${root.ns ?? '无命名空间'}）。`, `The root element must be <OfficeApp> in namespace ${NS.app}, found <${root.qname}> (${root.ns ?? 'no namespace'}).`);
    return finish(0);
  }
  const appType = c.xsiType(root);
  if (appType !== 'TaskPaneApp') {
    c.add('error', 'root', root, `<OfficeApp> 的 xsi:type 必须是 "TaskPaneApp"（本验证器只支持任务窗格加载项），实际为 ${appType ? `"${appType}"` : '空'}。`, `<OfficeApp> must have xsi:type="TaskPaneApp" (this validator supports task pane add-ins), found ${appType ? `"${appType}"` : 'none'}.`);
    return finish(0);
  }
  c.elements++;
  for (const name of Object.keys(root.attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || c.isXsiTypeAttr(root, name)) continue;
    c.add('error', 'attribute-unexpected', root, `<OfficeApp> 不允许有属性 ${name}。`, `<OfficeApp> does not allow the attribute ${name}.`);
  }
  if (root.text.trim() !== '') {
    c.add('error', 'unexpected-text', root, `<OfficeApp> 不应包含文本“${root.text.trim().slice(0, 40)}”。`, `<OfficeApp> must not contain text "${root.text.trim().slice(0, 40)}".`);
  }
  c.sequence(root, SCHEMA.TaskPaneApp);
  const iconsChecked = crossChecks(c, root, opts);
  c.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return finish(iconsChecked);
}

export function validateManifestFile(file: string, options: ValidateOptions = {}): ValidationResult {
  let xml: string;
  try {
    xml = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [],
      errors: [
        {
          severity: 'error',
          code: 'xml',
          path: '(file)',
          zh: `无法读取清单文件 ${file}：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          en: `Cannot read the manifest file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        },
      ],
      warnings: [],
      stats: { elements: 0, resids: 0, resources: 0, urls: 0, iconsChecked: 0 },
    };
  }
  const res = validateManifestXml(xml, { rootDir: options.rootDir ?? path.dirname(path.resolve(file)), assetsUrlPath: options.assetsUrlPath });
  return res;
}

export function formatReport(result: ValidationResult, fileLabel: string): string {
  const lines: string[] = [];
  for (const p of [...result.errors, ...result.warnings]) {
    const tag = p.severity === 'error' ? '✗ 错误 ERROR' : '! 警告 WARNING';
    const where = `${fileLabel}${p.line ? `:${p.line}` : ''}`;
    lines.push(`${tag} [${p.code}] ${where}  ${p.path}`);
    lines.push(`    ${p.zh}`);
    lines.push(`    ${p.en}`);
  }
  const s = result.stats;
  const summary =
    `${s.elements} 个元素、${s.resids} 个 resid、${s.resources} 个资源、${s.urls} 个 URL、${s.iconsChecked} 个图标尺寸已检查 / ` +
    `${s.elements} elements, ${s.resids} resids, ${s.resources} resources, ${s.urls} URLs, ${s.iconsChecked} icon sizes checked`;
  if (result.ok) {
    lines.push(`✓ ${fileLabel} 通过离线检查${result.warnings.length ? `（${result.warnings.length} 个警告）` : ''} / passed offline validation${result.warnings.length ? ` (${result.warnings.length} warning(s))` : ''}`);
  } else {
    lines.push(`✗ ${fileLabel}：${result.errors.length} 个错误、${result.warnings.length} 个警告 / ${result.errors.length} error(s), ${result.warnings.length} warning(s)`);
  }
  lines.push(`  ${summary}`);
  return lines.join('\n');
}

function main(argv: string[]): number {
  let file: string | undefined;
  let rootDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') rootDir = argv[++i];
    else if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') {
      console.log('用法 / usage: validate-manifest [manifest.xml] [--root DIR（含 assets/ 的目录 / dir holding assets/)] [--json]');
      return 0;
    } else file = a;
  }
  const manifest = path.resolve(file ?? path.join(__dirname, '..', 'manifest.xml'));
  const result = validateManifestFile(manifest, { rootDir });
  if (json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatReport(result, path.relative(process.cwd(), manifest) || manifest));
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
