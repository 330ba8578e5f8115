/** Errors thrown by the in-memory Excel host, shaped like Office's `OfficeExtension.Error` (code + message). */
export type SimErrorCode =
  | 'PropertyNotLoaded'
  | 'ItemNotFound'
  | 'InvalidArgument'
  | 'InvalidOperation'
  | 'InvalidReference'
  | 'GeneralException'
  | 'RequestPayloadSizeLimitExceeded'
  | 'ResponsePayloadSizeLimitExceeded'
  | 'AccessDenied'
  | 'InvalidOperationInCellEditMode'
  | 'InvalidObjectPath'
  | 'UndoNotSupported'
  /** A member the in-memory host does not answer for (never an Office code: a test must add it). */
  | 'SimNotModelled';

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly debugInfo: { code: SimErrorCode; message: string; errorLocation?: string };
  constructor(code: SimErrorCode, message: string, errorLocation?: string) {
    super(message);
    this.name = 'RichApi.Error';
    this.code = code;
    this.debugInfo = { code, message, errorLocation };
  }
}

export function propertyNotLoaded(prop: string, owner: string): SimError {
  return new SimError(
    'PropertyNotLoaded',
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
    `${owner}.${prop}`,
  );
}

/** The UI language of the simulated Excel: Office localises error messages (never the codes). */
export type SimLocale = 'en-US' | 'zh-CN';

/**
 * Messages as Office sends them, by locale. Excel on the web in Chinese reports a too-large response with
 * code `ResponsePayloadSizeLimitExceeded` and a Chinese message, so nothing may depend on the English text.
 */
const MESSAGES: Record<string, Record<SimLocale, string>> = {
  RequestPayloadSizeLimitExceeded: {
    'en-US': 'The request payload size has exceeded the limit. Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".',
    'zh-CN': '请求有效负载大小已超出限制。请参阅文档:“https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins”。',
  },
  ResponsePayloadSizeLimitExceeded: {
    'en-US': 'The response payload size has exceeded the limit. Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".',
    'zh-CN': '响应有效负载大小已超出限制。请参阅文档:“https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins”。',
  },
  AccessDenied: {
    'en-US': "The cell or chart you're trying to change is on a protected sheet. To make a change, unprotect the sheet.",
    'zh-CN': '您试图更改的单元格或图表位于受保护的工作表中。若要进行更改，请取消工作表保护。',
  },
  // Excel's undo page names the code, not its text: the host's wording (nothing may depend on it).
  UndoNotSupported: {
    'en-US': 'This operation does not support undo and cannot be part of an undo group (mergeUndoGroup).',
    'zh-CN': '此操作不支持撤消，不能合并到撤消组（mergeUndoGroup）中。',
  },
  InvalidOperationInCellEditMode: {
    'en-US': 'Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.',
    'zh-CN': 'Excel 处于单元格编辑模式。请按 Enter 或 Tab 键或选择另一个单元格以退出编辑模式，然后重试。',
  },
};

/** An error with Office's code and its message in `locale`. */
export function officeError(code: SimErrorCode, locale: SimLocale, errorLocation?: string): SimError {
  return new SimError(code, MESSAGES[code]?.[locale] ?? code, errorLocation);
}
