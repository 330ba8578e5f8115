/** One table: its kind, range, funds and total (or why there is none), indicator scores, findings. */
import * as React from 'react';
import { Badge, Text } from '@fluentui/react-components';
import { reviewKey } from '../../domain/settings';
import { proposalCells } from '../../domain/todo';
import type { Finding, TableResult } from '../../domain/types';
import { fmtPercent, fmtScore, KIND_LABELS } from '../labels';
import { compareInList, countBySeverity, open } from '../order';
import { FindingHandlers, FindingList } from './Findings';
import { usePaneStyles } from './styles';

/** Why the engine gave no 总分 / 等级, from the table's findings (C01: the weights do not add up). */
export function noTotalReason(t: TableResult): string | null {
  if (t.totalScore !== null) return null;
  const c01 = t.findings.find((f) => f.code === 'C01');
  // The sum itself is the C01 finding's text, listed in the same card: not repeated here.
  if (c01) return `未计算总分和等级：指标分值合计不符（规则 C01，${c01.cell}），见下方问题。`;
  if (t.findings.some((f) => f.code === 'C11')) return '未计算总分：有定性指标无法自动判定且未填写得分（规则 C11），请人工评分。';
  return null;
}

export function TableCard({ table: t, visible, h }: { table: TableResult; visible: (f: Finding) => boolean; h: FindingHandlers }): React.ReactElement {
  const s = usePaneStyles();
  // Counts leave out findings marked 已复核; the list is worst first, then by row.
  const c = countBySeverity(open(t.findings, h.reviews));
  const shown = t.findings.filter(visible).sort(compareInList);
  const why = t.kind !== 'target' && t.kind !== 'completion' ? noTotalReason(t) : null;
  const proposals = [...proposalCells(t)].filter((c) => t.edits.some((e) => e.cell === c && (e.status === 'empty' || e.status === 'change'))).length;
  return (
    <div className={s.card} data-testid="table-card" data-sheet={t.sheet}>
      <div className={s.cardHead}>
        <Text className={s.tableName} data-testid="table-name">
          {t.name || '（未命名）'}
        </Text>
        <Badge appearance="tint" color="brand" size="small" style={{ flex: 'none' }}>
          {KIND_LABELS[t.kind].replace(/^项目支出/, '')}
        </Badge>
      </div>
      <Text className={s.meta}>
        {t.sheet}!{t.range}
        {t.year ? ` · ${t.year}年度` : ''}
      </Text>
      {t.kind === 'target' && t.targetFunds && (
        <div className={s.stats}>
          <span>
            预算数 <b data-testid="budget">{t.targetFunds.budget === null ? '—' : `${t.targetFunds.budget.toFixed(2)} 万元`}</b>
          </span>
          {t.spendingPlan && (
            <span>
              12月底支出计划 <b>{fmtPercent(t.spendingPlan.dec)}</b>
            </span>
          )}
        </div>
      )}
      {t.kind !== 'target' && t.kind !== 'completion' && (
        <div className={s.stats}>
          <span>
            执行率 <b data-testid="rate">{fmtPercent(t.funds?.rate)}</b>
          </span>
          <span>
            总分 <b data-testid="total">{fmtScore(t.totalScore)}</b>
            {proposals > 0 && t.totalScore !== null && (
              <span className={s.why} data-testid="total-proposal" title="定性指标按默认分估算，填报人确认前不是正式得分">
                {' '}
                （含 {proposals} 个待确认的默认分）
              </span>
            )}
          </span>
          <span>
            等级 <b data-testid="grade">{t.grade ?? '—'}</b>
          </span>
          <span className={s.meta}>
            错误 {c.error} · 警告 {c.warning} · 提示 {c.info}
          </span>
        </div>
      )}
      {why && (
        <Text className={s.why} data-testid="no-total">
          {why}
        </Text>
      )}
      {t.indicators.some((x) => x.score !== null || x.weight !== null) && t.kind !== 'target' && (
        <details className={s.details} data-testid="indicators">
          <summary>指标得分（{t.indicators.length} 项）</summary>
          <table className={s.editTable}>
            <tbody>
              {t.indicators.map((x) => (
                <tr key={x.row} data-testid="indicator" data-row={x.row}>
                  <td className={s.td}>{x.row}</td>
                  <td className={s.td}>
                    {x.level3}
                    <div className={s.meta}>
                      {x.target} → {x.actual ?? '—'}
                      {x.basis ? `；${x.basis}` : ''}
                    </div>
                  </td>
                  <td className={s.td} style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                    <b data-testid="indicator-score">{fmtScore(x.score)}</b> / {x.weight ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <FindingList findings={shown} h={h} />
    </div>
  );
}

type CardProps = { table: TableResult; visible: (f: Finding) => boolean; h: FindingHandlers };

/**
 * Whether a card would render the same (issue #21: a re-check re-rendered every card, 609 ms at 200 tables):
 * the same table object (a re-check keeps the results of the sheets it did not read again), the same filter and
 * handlers, the same reviews, and no change in which of this table's findings is selected or stepped to.
 */
export function sameCard(a: CardProps, b: CardProps): boolean {
  if (a.table !== b.table || a.visible !== b.visible) return false;
  const x = a.h;
  const y = b.h;
  if (x.onSelect !== y.onSelect || x.onReview !== y.onReview || x.reviews !== y.reviews || x.helpUrl !== y.helpUrl) return false;
  for (const f of a.table.findings) {
    const k = reviewKey(f);
    if (x.selected.has(k) !== y.selected.has(k) || (x.current === k) !== (y.current === k)) return false;
  }
  return true;
}

/** TableCard, rendered again only when sameCard says something it shows changed. */
export const MemoTableCard = React.memo(TableCard, sameCard);
