/** Errors thrown by the in-memory Excel host, shaped like Office's `OfficeExtension.Error` (code + message). */
export type SimErrorCode =
  | 'PropertyNotLoaded'
  | 'ItemNotFound'
  | 'InvalidArgument'
  | 'InvalidOperation'
  | 'InvalidReference'
  | 'GeneralException'
  | 'RequestPayloadSizeLimitExceeded';

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
