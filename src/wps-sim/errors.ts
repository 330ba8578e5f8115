/**
 * Errors thrown by the in-memory WPS host, shaped like the script errors WPS raises from its object model:
 * a VBA-style error number (1004 for "application-defined or object-defined error", 9 for "subscript out
 * of range") and WPS's Chinese message. The adapter must catch them: none may reach the user as a crash.
 */
export class SimWpsError extends Error {
  /** The VBA error number (`Err.Number`). */
  readonly number: number;
  constructor(number: number, message: string) {
    super(message);
    this.name = 'WpsError';
    this.number = number;
  }
}

/** The messages WPS 表格 (Chinese UI) shows for the failures the host models. */
export const WPS_MESSAGES = {
  protectedSheet: '您试图更改的单元格或图表位于受保护的工作表中。若要进行更改，请取消工作表保护。',
  protectedStructure: '工作簿有保护，不能更改。若要更改，请先撤销工作簿保护。',
  noCells: '未找到单元格。',
  subscript: '下标越界。',
  badAddress: '应用程序定义或对象定义的错误。',
  duplicateSheet: '工作表名称不能与其他工作表相同。',
  badSheetName: '工作表名称无效：不能为空，不能超过 31 个字符，也不能包含 : \\ / ? * [ ]。',
  lastSheet: '工作簿中至少应含有一张可视的工作表。',
  notActive: '不能选择或激活不在活动工作表上的单元格。',
  arrayPart: '不能更改数组的某一部分。',
  overlappingMerge: '不能对合并单元格作部分更改。',
  validationExists: '应用程序定义或对象定义的错误（该区域已有数据有效性，请先删除）。',
  noValidation: '应用程序定义或对象定义的错误（该区域没有数据有效性）。',
  readOnly: '不能设置只读属性。',
  deleted: '对象已被删除。',
  tooLarge: '区域过大（模拟宿主只逐格写入不超过一百万个单元格的区域）。',
} as const;

export function wpsError(key: keyof typeof WPS_MESSAGES, number = 1004, detail?: string): SimWpsError {
  return new SimWpsError(number, detail ? `${WPS_MESSAGES[key]}（${detail}）` : WPS_MESSAGES[key]);
}
