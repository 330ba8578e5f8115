/**
 * The pane's presentational components rendered to HTML (no browser): repeated rules group as
 * 「规则 V03 × 7」, a rule code is labelled as a rule apart from the cell, 已复核 shows who and when.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { FindingList } from '../../src/taskpane/components/Findings';
import type { Finding } from '../../src/domain/types';
import { reviewKey } from '../../src/domain/settings';

const f = (code: string, cell: string, severity: Finding['severity'] = 'warning'): Finding => ({ code, severity, sheet: 'S', cell, message: `${code} at ${cell}` });

function render(findings: Finding[], reviewed: Finding[] = []): string {
  const reviews = new Map(reviewed.map((x) => [reviewKey(x), { ...x, by: '张会计', at: '2026-12-01T02:30:00.000Z' }]));
  return renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      <FindingList findings={findings} h={{ onSelect: () => undefined, onReview: () => undefined, reviews, selected: new Set(), current: null, helpUrl: "assets/support.html" }} />
    </FluentProvider>,
  );
}

test('seven V03 findings group into one expandable 「规则 V03 × 7」; a single C07 stays a row', () => {
  const list = [...Array.from({ length: 7 }, (_, i) => f('V03', `F${13 + i}`)), f('C07', 'I16')];
  const html = render(list);
  expect(html.match(/data-testid="finding-group"/g)).toHaveLength(1);
  expect(html).toContain('规则 V03 × 7');
  expect(html.match(/data-testid="finding"/g)).toHaveLength(8);
  // C07 (which is also a cell address) is shown as 「规则 C07」, the cell apart.
  expect(html).toMatch(/data-testid="finding-cell"[^>]*>I16</);
  expect(html).toContain('>规则 C07<');
});

test('a reviewed finding shows who reviewed it', () => {
  const c07 = f('C07', 'I16');
  const html = render([c07], [c07]);
  expect(html).toContain('data-reviewed="true"');
  expect(html).toMatch(/已复核 张会计/);
});
