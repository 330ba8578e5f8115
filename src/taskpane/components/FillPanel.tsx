/**
 * 回填计算结果: the confirm button at the top; per table (tick the table) or per row. A default score for a
 * qualitative indicator is a proposal: unticked until the user confirms it, and while one is unconfirmed the
 * table's 总分 and 等级 are not written either (they would carry the guess). It opens on the table the user is
 * on (本表); 「全部表格」 shows and writes every table's.
 */
import * as React from 'react';
import { Badge, Button, Checkbox, mergeClasses, Text } from '@fluentui/react-components';
import type { CellEdit } from '../../domain/types';
import { blockedReason, editKey, editsToWrite, FillState, isWritable, shownGroups } from '../controller';
import { EDIT_STATUS_LABELS, fmtEditValue } from '../labels';
import { usePaneStyles } from './styles';

const statusColor = { empty: 'success', change: 'warning', same: 'informative', formula: 'subtle', merged: 'subtle' } as const;

export function FillPanel(props: {
  fill: FillState;
  onToggle: (key: string, on: boolean) => void;
  onToggleGroup: (key: string, on: boolean) => void;
  onAccept: () => void;
  onCancel: () => void;
  onScope: (scope: FillState['scope']) => void;
}): React.ReactElement {
  const s = usePaneStyles();
  const { fill } = props;
  const n = editsToWrite(fill).length;
  const groups = shownGroups(fill);
  const here = fill.groups.find((g) => g.key === fill.current);
  const proposals = groups.reduce((k, g) => k + g.edits.filter((e) => g.proposals.has(e.cell) && isWritable(e)).length, 0);
  return (
    <div className={s.card} data-testid="edits">
      <div className={s.row} style={{ justifyContent: 'space-between' }}>
        <Text className={s.tableName}>回填：将写入 {n} 个单元格</Text>
        <div className={s.toolbar}>
          <Button appearance="primary" size="small" onClick={props.onAccept} disabled={n === 0} data-testid="btn-accept">
            确认回填
          </Button>
          <Button size="small" onClick={props.onCancel} data-testid="btn-cancel-fill">
            取消
          </Button>
        </div>
      </div>
      <div className={s.row} data-testid="fill-scope" data-scope={fill.scope}>
        {here && (
          <Button
            size="small"
            appearance={fill.scope === 'table' ? 'primary' : 'secondary'}
            className={s.toolButton}
            onClick={() => props.onScope('table')}
            aria-pressed={fill.scope === 'table'}
            title={`只回填当前表格：${here.title}（${here.sheet}）`}
            data-testid="btn-fill-table"
          >
            只填本表
          </Button>
        )}
        <Button
          size="small"
          appearance={fill.scope === 'all' ? 'primary' : 'secondary'}
          className={s.toolButton}
          onClick={() => props.onScope('all')}
          aria-pressed={fill.scope === 'all'}
          data-testid="btn-fill-all"
        >
          全部表格（{fill.groups.length}）
        </Button>
      </div>
      <Text className={s.meta}>
        只写入勾选的计算结果；公式和合并单元格不会被覆盖。回填后可「撤销回填」。
        {proposals > 0 && ` ${proposals} 个定性指标的默认分需逐个勾选确认后才写入。`}
      </Text>
      {groups.length === 0 && <Text size={200}>没有可回填的计算结果。</Text>}
      {groups.map((g) => {
        const writable = g.edits.filter((e) => isWritable(e) && !g.proposals.has(e.cell));
        const ticked = writable.filter((e) => fill.chosen.has(editKey(e))).length;
        return (
          <div key={g.key} data-testid="fill-group" data-sheet={g.sheet}>
            <Checkbox
              checked={ticked === 0 ? false : ticked === writable.length ? true : 'mixed'}
              disabled={writable.length === 0}
              onChange={(_, d) => props.onToggleGroup(g.key, d.checked === true)}
              label={
                <Text weight="semibold" size={200}>
                  {g.title}（{g.sheet}）
                </Text>
              }
              data-testid="fill-group-check"
            />
            {g.edits.map((e) => (
              <EditRow key={e.cell} e={e} fill={fill} proposal={g.proposals.has(e.cell)} blocked={blockedReason(fill, g, e)} onToggle={props.onToggle} />
            ))}
          </div>
        );
      })}
    </div>
  );
}

function EditRow(props: { e: CellEdit; fill: FillState; proposal: boolean; blocked: string | null; onToggle: (key: string, on: boolean) => void }) {
  const s = usePaneStyles();
  const { e } = props;
  const key = editKey(e);
  const writable = isWritable(e);
  const on = writable && props.fill.chosen.has(key);
  return (
    <div
      className={mergeClasses(s.editRow, (!writable || !!props.blocked) && s.skipped)}
      data-testid="edit-row"
      data-cell={key}
      data-status={e.status}
      data-proposal={props.proposal ? 'true' : undefined}
      data-chosen={on && !props.blocked ? 'true' : undefined}
    >
      <Checkbox checked={on} disabled={!writable} onChange={(_, d) => props.onToggle(key, d.checked === true)} aria-label={`回填 ${e.cell}`} />
      <span className={s.cellRef}>{e.cell}</span>
      <span className={s.editMain}>
        <span>{e.label}</span>
        <span className={s.meta}>
          {e.status === 'formula' ? (
            <>
              {e.current}（计算值 {fmtEditValue(e.value, e.numFmt)}）
            </>
          ) : e.status === 'merged' ? (
            <>
              {e.reason}（计算值 {fmtEditValue(e.value, e.numFmt)}）
            </>
          ) : (
            <>
              {e.current === '' ? '（空）' : e.current} → <b>{fmtEditValue(e.value, e.numFmt)}</b>
            </>
          )}
        </span>
        {props.proposal && writable && (
          <span className={s.why} data-testid="proposal-note">
            默认分（按定性判定估算，不是填报得分）：勾选即确认采用
          </span>
        )}
        {props.blocked && on && <span className={s.why}>{props.blocked}</span>}
      </span>
      <Badge size="small" appearance="tint" color={props.proposal && writable ? 'warning' : statusColor[e.status]} style={{ flex: 'none' }}>
        {props.proposal && writable ? '需确认' : EDIT_STATUS_LABELS[e.status]}
      </Badge>
    </div>
  );
}
