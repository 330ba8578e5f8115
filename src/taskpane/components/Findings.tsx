/**
 * Findings: one row each (severity, the cell as a link, the message, the rule code labelled as a rule so that
 * `C07` is never read as a cell, and opening that rule's help), repeated rules grouped (`V03 × 7`,
 * expandable), 复核 per finding. The finding stepped to (上一个 / 下一个) is highlighted, scrolled into view
 * and shows its rule's help.
 */
import * as React from 'react';
import { Badge, Button, mergeClasses, Text } from '@fluentui/react-components';
import { CATALOGUE } from '../../domain/rules/catalogue';
import { Review, reviewKey } from '../../domain/settings';
import type { Finding } from '../../domain/types';
import { SEVERITY_LABELS } from '../labels';
import { usePaneStyles } from './styles';

const SEVERITY_COLORS = { error: 'danger', warning: 'warning', info: 'informative' } as const;

export interface FindingHandlers {
  onSelect: (f: Finding) => void;
  onReview: (f: Finding) => void;
  reviews: Map<string, Review>;
  /** Keys (reviewKey) of the findings at the user's selection. */
  selected: Set<string>;
  /** Key of the finding 上一个 / 下一个 stepped to (or the user clicked). */
  current: string | null;
  /** Where the rule help page is (the support page), for 「全部规则说明」. */
  helpUrl: string;
}

/** A rule's help from the catalogue: what it checks, why it matters, how to fix it. */
export function RuleHelp({ code, url }: { code: string; url: string }): React.ReactElement | null {
  const s = usePaneStyles();
  const r = CATALOGUE[code];
  if (!r) return null;
  return (
    <div className={s.help} data-testid="rule-help" data-code={code}>
      <div>
        <b>
          规则 {code} {r.title}
        </b>
      </div>
      <div>
        <b>为什么：</b>
        {r.why}
      </div>
      <div>
        <b>怎么改：</b>
        {r.fix}
      </div>
      <a href={`${url}#${code}`} target="_blank" rel="noreferrer" className={s.helpLink} data-testid="rule-help-link">
        全部规则说明
      </a>
    </div>
  );
}

function fmtWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * One finding. `explain`: the selection card, where the finding stepped to shows its rule's help (once, at
 * the top of the pane) and is scrolled into view; in the lists it is highlighted.
 */
export function FindingRow({ f, h, explain = false }: { f: Finding; h: FindingHandlers; explain?: boolean }): React.ReactElement {
  const s = usePaneStyles();
  const key = reviewKey(f);
  const review = h.reviews.get(key);
  const current = h.current === key;
  const [help, setHelp] = React.useState<boolean | null>(null);
  const ref = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (current && explain) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [current, explain]);
  const showHelp = help ?? (current && explain);
  return (
    <>
    <div
      ref={ref}
      className={mergeClasses(s.finding, review && s.reviewed, h.selected.has(key) && s.selectedFinding, current && s.currentFinding)}
      data-testid="finding"
      data-severity={f.severity}
      data-code={f.code}
      data-cell={`${f.sheet}!${f.cell}`}
      data-reviewed={review ? 'true' : undefined}
      data-current={current ? 'true' : undefined}
    >
      <Badge color={SEVERITY_COLORS[f.severity]} size="small" appearance="filled" style={{ flex: 'none', whiteSpace: 'nowrap' }}>
        {SEVERITY_LABELS[f.severity]}
      </Badge>
      <button type="button" className={s.findingMain} onClick={() => h.onSelect(f)} title={`定位到 ${f.sheet}!${f.cell}`}>
        <span className={s.cellRef} data-testid="finding-cell">
          {f.cell}
        </span>
        <span>{f.message}</span>
        {review && (
          <span className={s.meta} data-testid="review-note">
            {' '}
            · 已复核{review.by ? ` ${review.by}` : ''} {fmtWhen(review.at)}
          </span>
        )}
      </button>
      <button
        type="button"
        className={s.code}
        onClick={() => setHelp(!showHelp)}
        aria-expanded={showHelp}
        title={`规则 ${f.code}：${CATALOGUE[f.code]?.title ?? ''}（点击查看说明；这是规则编号，不是单元格地址）`}
        data-testid="btn-rule-help"
      >
        规则 {f.code}
      </button>
      <Button
        size="small"
        appearance={review ? 'subtle' : 'transparent'}
        style={{ minWidth: 'auto', padding: '0 4px', flex: 'none' }}
        onClick={() => h.onReview(f)}
        title={review ? '取消「已复核」' : '标记为已复核（记录复核人和时间，保存在工作簿中）'}
        data-testid="btn-review"
      >
        {review ? '✓' : '复核'}
      </Button>
    </div>
    {showHelp && <RuleHelp code={f.code} url={h.helpUrl} />}
    </>
  );
}

/** Findings of one list, the repeated rules grouped. */
export function FindingList({ findings, h }: { findings: Finding[]; h: FindingHandlers }): React.ReactElement {
  const s = usePaneStyles();
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.code);
    if (g) g.push(f);
    else groups.set(f.code, [f]);
  }
  return (
    <>
      {[...groups.entries()].map(([code, list]) =>
        list.length === 1 ? (
          <FindingRow key={`${code}-${list[0].sheet}-${list[0].cell}`} f={list[0]} h={h} />
        ) : (
          <details
            key={code}
            className={s.group}
            data-testid="finding-group"
            data-code={code}
            open={list.some((f) => h.selected.has(reviewKey(f)) || h.current === reviewKey(f)) || undefined}
          >
            <summary>
              <Badge color={SEVERITY_COLORS[list[0].severity]} size="small" appearance="filled" style={{ marginRight: 6 }}>
                {SEVERITY_LABELS[list[0].severity]}
              </Badge>
              <Text size={200} weight="semibold">
                规则 {code} × {list.length}
              </Text>
              <span className={s.meta}>
                {' '}
                {list
                  .slice(0, 4)
                  .map((f) => f.cell)
                  .join('、')}
                {list.length > 4 ? '…' : ''}
              </span>
            </summary>
            {list.map((f, i) => (
              <FindingRow key={`${f.sheet}-${f.cell}-${i}`} f={f} h={h} />
            ))}
          </details>
        ),
      )}
    </>
  );
}
