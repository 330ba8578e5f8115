/** Smaller parts of the pane: what is still to fill in, the findings at the user's selection. */
import * as React from 'react';
import { Text } from '@fluentui/react-components';
import type { TodoItem } from '../../domain/todo';
import type { Finding } from '../../domain/types';
import { FindingHandlers, FindingRow } from './Findings';
import { usePaneStyles } from './styles';

export function TodoPanel({ items, onSelect }: { items: TodoItem[]; onSelect: (sheet: string, range: string) => void }): React.ReactElement | null {
  const s = usePaneStyles();
  if (!items.length) return null;
  return (
    <details className={s.details} data-testid="todo">
      <summary data-testid="todo-summary">还有 {items.length} 项待填</summary>
      {/* Scrolls within itself: an open list never pushes the current table out of the pane. */}
      <div className={s.todoList} data-testid="todo-list">
      {items.map((t, i) => (
        <div key={i} className={s.finding} data-testid="todo-item" data-range={`${t.sheet}!${t.range}`}>
          <button type="button" className={s.findingMain} onClick={() => onSelect(t.sheet, t.range)} title={`定位到 ${t.sheet}!${t.range}`}>
            <span className={s.cellRef}>
              {t.sheet} 第{t.row}行
            </span>
            {t.what}
          </button>
        </div>
      ))}
      </div>
    </details>
  );
}

export function SelectionCard({ sel, findings, h }: { sel: { sheet: string; address: string }; findings: Finding[]; h: FindingHandlers }): React.ReactElement {
  const s = usePaneStyles();
  return (
    <div className={s.card} data-testid="selection-card" style={{ borderColor: 'var(--colorBrandStroke1)' }}>
      <Text size={200} weight="semibold">
        所选单元格 {sel.sheet}!{sel.address}
      </Text>
      {findings.length === 0 ? (
        <Text className={s.meta}>此处没有发现问题。</Text>
      ) : (
        findings.map((f, i) => <FindingRow key={i} f={f} h={h} explain />)
      )}
    </div>
  );
}
