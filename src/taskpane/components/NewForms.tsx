/**
 * 「新建表格」 and 「转为自评表」: the two panels that add forms to the workbook, each on new sheets the add-in
 * names (never on top of a user's sheet). The controller does the writing and the re-check.
 */
import * as React from 'react';
import { Button, Checkbox, Dropdown, Input, Option, Text } from '@fluentui/react-components';
import { MAX_ROWS, TEMPLATE_KINDS, TEMPLATE_TITLES, TemplateKind } from '../../domain/templates';
import type { TableResult } from '../../domain/types';
import { ConvertState, NewFormState, parseRows, tableKey } from '../controller';
import { PROFILE_LABELS } from '../labels';
import type { StoredProfileId } from '../../domain/session';
import { usePaneStyles } from './styles';

/**
 * What the user gives up by 新建表格 / 转为自评表 where Excel keeps an add-in's writes undoable (ExcelApi
 * 1.20): the list sheet is hidden (Worksheet.visibility has no undo support), so the history is cleared.
 * Below 1.20 (and in WPS) the pane's undo notice already says that every write clears it.
 */
export const NEW_FORM_UNDO_WARNING = 'Excel 无法撤消此操作（会隐藏下拉列表所在的工作表），执行后之前的撤消记录会被清空。';

export function NewFormPanel(props: {
  form: NewFormState;
  profile: StoredProfileId;
  busy: boolean;
  /** Said before the user creates the form, where Excel keeps undo but cannot undo this action. */
  undoWarning?: string | null;
  onChange: (p: { kind?: TemplateKind; rows?: string }) => void;
  onCreate: () => void;
  onCancel: () => void;
}): React.ReactElement {
  const s = usePaneStyles();
  const { form } = props;
  const rows = parseRows(form.rows);
  return (
    <div className={s.card} data-testid="new-form">
      <Text className={s.tableName}>新建表格</Text>
      <div className={s.row}>
        <Text size={200}>表格</Text>
        <Dropdown
          aria-label="表格类型"
          data-testid="new-form-kind"
          size="small"
          value={TEMPLATE_TITLES[form.kind]}
          selectedOptions={[form.kind]}
          onOptionSelect={(_, d) => d.optionValue && props.onChange({ kind: d.optionValue as TemplateKind })}
          style={{ minWidth: '190px' }}
        >
          {TEMPLATE_KINDS.map((k) => (
            <Option key={k} value={k}>
              {TEMPLATE_TITLES[k]}
            </Option>
          ))}
        </Dropdown>
      </div>
      <div className={s.row}>
        <Text size={200}>指标行数</Text>
        <Input
          size="small"
          type="number"
          min={1}
          max={MAX_ROWS}
          value={form.rows}
          onChange={(_, d) => props.onChange({ rows: d.value })}
          style={{ width: '80px' }}
          aria-label="指标行数"
          data-testid="new-form-rows"
        />
      </div>
      {typeof rows === 'string' && (
        <Text className={s.why} data-testid="new-form-invalid">
          {rows}
        </Text>
      )}
      <Text className={s.meta}>
        按{PROFILE_LABELS[props.profile]}的指标体系和默认分值，在新工作表中生成；一级、二级指标为下拉列表，不改动已有工作表。
      </Text>
      {props.undoWarning && (
        <Text className={s.meta} data-testid="new-form-undo">
          {props.undoWarning}
        </Text>
      )}
      <div className={s.toolbar}>
        <Button appearance="primary" size="small" onClick={props.onCreate} disabled={props.busy || typeof rows === 'string'} data-testid="btn-new-create">
          新建
        </Button>
        <Button size="small" onClick={props.onCancel} data-testid="btn-new-cancel">
          取消
        </Button>
      </div>
    </div>
  );
}

export function ConvertPanel(props: {
  convert: ConvertState;
  targets: TableResult[];
  busy: boolean;
  /** Said before the user converts, where Excel keeps undo but cannot undo this action. */
  undoWarning?: string | null;
  onToggle: (key: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  onConvert: () => void;
  onCancel: () => void;
}): React.ReactElement {
  const s = usePaneStyles();
  const { convert, targets } = props;
  const n = targets.filter((t) => convert.chosen.has(tableKey(t))).length;
  return (
    <div className={s.card} data-testid="convert">
      <Text className={s.tableName}>转为自评表：已选 {n} 张目标表</Text>
      <Text className={s.meta}>每张目标表生成一张自评表（新工作表），带入项目信息、预算数和全部指标及指标值，分值按评分标准分配；实际完成值、得分和偏差原因留待填写。</Text>
      {props.undoWarning && (
        <Text className={s.meta} data-testid="convert-undo">
          {props.undoWarning}
        </Text>
      )}
      <Checkbox
        checked={n === 0 ? false : n === targets.length ? true : 'mixed'}
        onChange={(_, d) => props.onToggleAll(d.checked === true)}
        label={<Text size={200}>全选</Text>}
        data-testid="convert-all"
      />
      {targets.map((t) => (
        <Checkbox
          key={tableKey(t)}
          checked={convert.chosen.has(tableKey(t))}
          onChange={(_, d) => props.onToggle(tableKey(t), d.checked === true)}
          label={
            <Text size={200} style={{ overflowWrap: 'anywhere' }}>
              {t.name || '未命名'}（{t.sheet}）
            </Text>
          }
          data-testid="convert-table"
        />
      ))}
      <div className={s.toolbar}>
        <Button appearance="primary" size="small" onClick={props.onConvert} disabled={props.busy || n === 0} data-testid="btn-convert">
          生成 {n} 张自评表
        </Button>
        <Button size="small" onClick={props.onCancel} data-testid="btn-convert-cancel">
          取消
        </Button>
      </div>
    </div>
  );
}
