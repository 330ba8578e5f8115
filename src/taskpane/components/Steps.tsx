/**
 * Going through the problems alone: 上一个 / 下一个 (and their keys), the 已复核 list with 取消复核, and the
 * pane's help (the keys, the link to every rule's help on the support page).
 */
import * as React from 'react';
import { Button, Text } from '@fluentui/react-components';
import type { Review } from '../../domain/settings';
import type { Finding } from '../../domain/types';
import { SEVERITY_LABELS } from '../labels';
import { usePaneStyles } from './styles';

/** The keys, as the pane's help and docs say them. */
export const STEP_KEYS = { next: 'N 或 Alt+↓', prev: 'P 或 Alt+↑' } as const;

export function StepBar(props: { position: number; count: number; busy: boolean; onStep: (dir: 1 | -1) => void }): React.ReactElement {
  const s = usePaneStyles();
  return (
    <div className={s.stepBar} data-testid="step-bar">
      <Button size="small" className={s.toolButton} onClick={() => props.onStep(-1)} title={`上一个问题（${STEP_KEYS.prev}）`} data-testid="btn-prev">
        ↑ 上一个
      </Button>
      <Button size="small" className={s.toolButton} onClick={() => props.onStep(1)} title={`下一个问题（${STEP_KEYS.next}）`} data-testid="btn-next">
        ↓ 下一个
      </Button>
      <Text className={s.meta} data-testid="step-position">
        {props.position >= 0 ? `第 ${props.position + 1} / ${props.count} 个` : `共 ${props.count} 个，从最严重的开始`}
      </Text>
    </div>
  );
}

function fmtWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getMonth() + 1}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The findings marked 已复核 (out of the counts and the steps), each with 取消复核. */
export function ReviewedPanel(props: {
  items: { f: Finding; review: Review }[];
  busy: boolean;
  onSelect: (f: Finding) => void;
  onUndo: (f: Finding) => void;
}): React.ReactElement {
  const s = usePaneStyles();
  return (
    <details className={s.details} data-testid="reviewed">
      <summary data-testid="reviewed-summary">已复核 {props.items.length} 项（不计入问题数）</summary>
      <div className={s.todoList}>
        {props.items.map(({ f, review }, i) => (
          <div key={i} className={s.finding} data-testid="reviewed-item" data-cell={`${f.sheet}!${f.cell}`} data-code={f.code}>
            <button type="button" className={s.findingMain} onClick={() => props.onSelect(f)} title={`定位到 ${f.sheet}!${f.cell}`}>
              <span className={s.cellRef}>
                {f.sheet}!{f.cell}
              </span>
              {SEVERITY_LABELS[f.severity]} · 规则 {f.code}：{f.message}
              <span className={s.meta}>
                {' '}
                · {review.by ? `${review.by} ` : ''}
                {fmtWhen(review.at)}
              </span>
            </button>
            <Button size="small" style={{ minWidth: 'auto', flex: 'none' }} disabled={props.busy} onClick={() => props.onUndo(f)} data-testid="btn-unreview">
              取消复核
            </Button>
          </div>
        ))}
      </div>
    </details>
  );
}

/** 帮助: how to go through the problems, and where every rule is explained. */
export function HelpPanel({ url }: { url: string }): React.ReactElement {
  const s = usePaneStyles();
  return (
    <details className={s.details} data-testid="help">
      <summary>帮助：逐个处理问题、规则说明</summary>
      <ul className={s.helpList}>
        <li>问题按严重程度排列：先错误，再警告，最后提示；同一级别中，当前表格和当前工作表的在前。</li>
        <li>
          「↓ 下一个」「↑ 上一个」逐个选中问题所在的单元格。窗格中的键盘快捷键：下一个 <b>{STEP_KEYS.next}</b>，上一个 <b>{STEP_KEYS.prev}</b>（在输入框中不起作用）。
        </li>
        <li>点击问题后的「规则 C07」等编号查看该规则为什么重要、怎么改。</li>
        <li>「复核」表示已人工确认、无需修改：该问题不再计入问题数，列在「已复核」中，可随时「取消复核」。</li>
      </ul>
      <a href={url} target="_blank" rel="noreferrer" className={s.helpLink} data-testid="help-link">
        打开使用帮助和全部规则说明
      </a>
    </details>
  );
}
