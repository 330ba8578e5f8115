/**
 * The PerfSheet task pane. It talks to the workbook only through WorkbookSession (src/excel), so the same
 * component runs in Excel (Office.js host) and in the browser preview (in-memory host).
 *
 * State and workbook calls live in ./controller (a reducer and the hook that owns the session calls); the
 * components in ./components render them. Laid out for a 320 px pane: the toolbar, the summary, the
 * filters and 上一个 / 下一个 stay in view; the findings of the cell the user selects come first, then the
 * tables worst first (./order: errors, warnings, infos; the current table's and sheet's first within each).
 * Keys while the pane has the focus: N or Alt+↓ next problem, P or Alt+↑ previous (not inside a text box).
 */
import * as React from 'react';
import {
  Button,
  Dropdown,
  FluentProvider,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  MessageBarActions,
  Option,
  ProgressBar,
  Switch,
  Tab,
  TabList,
  Text,
  webLightTheme,
} from '@fluentui/react-components';
import { Review, reviewKey } from '../domain/settings';
import { todoList } from '../domain/todo';
import type { Finding, WorkbookResult } from '../domain/types';
import type { StoredProfileId, WorkbookSession } from '../domain/session';
import { allFindings, Filter, findingsAt, targetTables, usePaneController } from './controller';
import { countBySeverity, mergeQueue, open, orderCards, orderedFindings, reviewedFindings } from './order';
import { HelpPanel, ReviewedPanel, StepBar } from './components/Steps';
import { ConvertPanel, NEW_FORM_UNDO_WARNING, NewFormPanel } from './components/NewForms';
import { canDraft, generateDraftAction } from './DraftAction';
import { FillPanel } from './components/FillPanel';
import type { FindingHandlers } from './components/Findings';
import { FindingList } from './components/Findings';
import { SelectionCard, TodoPanel } from './components/Side';
import { usePaneStyles } from './components/styles';
import { MemoTableCard } from './components/TableCard';
import { PROFILE_LABELS } from './labels';

interface Props {
  session: WorkbookSession;
  /** Extra action buttons (e.g. 「生成报告」), shown after the built-in ones. */
  extraActions?: (ctx: PaneActionContext) => React.ReactNode;
  /** Registers a callback the host calls when the pane becomes visible again (re-reads everything). */
  onShown?: (handler: () => void) => void;
  /** Debounce of live re-checks, ms. */
  liveDelayMs?: number;
  /** The support page with every rule's help (relative to the pane's page). */
  helpUrl?: string;
  /** False where the host's web view ignores `<a download>` (Excel for Mac): exports go to the clipboard. */
  canDownload?: boolean;
}

/** What extra actions can use. */
export interface PaneActionContext {
  session: WorkbookSession;
  result: WorkbookResult | null;
  busy: boolean;
  /** Runs an operation with the pane's progress indicator and error handling. */
  runTask: (label: string, task: () => Promise<string | void>) => Promise<void>;
  /** Re-reads and re-checks the whole workbook (keeping the message the action left). */
  recheck: () => Promise<void>;
  /** Findings marked 已复核 in the workbook (the report shows them as such). */
  reviews: ReadonlyMap<string, Review>;
}

/** Whether a key press belongs to a text field (typing there never steps). */
function typing(el: HTMLElement | null): boolean {
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.getAttribute('role') === 'combobox';
}

export function App({ session, extraActions, onShown, liveDelayMs, helpUrl = 'assets/support.html', canDownload }: Props): React.ReactElement {
  const s = usePaneStyles();
  const ctl = usePaneController(session, { liveDelayMs, onShown, canDownload });
  const st = ctl.state;
  const busy = st.busy !== null;
  const result = st.result;
  const total = result?.summary ?? null;
  const visible = (f: Finding) => st.filter === 'all' || f.severity === st.filter;
  // Counts and lists leave out what is marked 已复核 (listed apart, where 取消复核 brings it back).
  const all = result ? open(allFindings(result), st.reviews) : [];
  const n = countBySeverity(all);
  const shownCount = all.filter(visible).length;
  const atSelection = findingsAt(result, st.selection);
  // Stable handlers that call the latest controller's (a card re-renders only when what it shows changes).
  const latest = React.useRef({ select: ctl.selectFinding, review: ctl.toggleReview });
  React.useLayoutEffect(() => {
    latest.current = { select: ctl.selectFinding, review: ctl.toggleReview };
  });
  const onSelect = React.useCallback((f: Finding) => latest.current.select(f), []);
  const onReview = React.useCallback((f: Finding) => latest.current.review(f), []);
  const h: FindingHandlers = {
    onSelect,
    onReview,
    reviews: st.reviews,
    selected: new Set(atSelection.map(reviewKey)),
    current: st.steps.cursor,
    helpUrl,
  };
  const { filter, reviews } = st;
  const listed = React.useCallback(
    (f: Finding) => (filter === 'all' || f.severity === filter) && !reviews.has(reviewKey(f)),
    [filter, reviews],
  );
  const todo = result ? todoList(result) : [];
  const targets = targetTables(result);
  const tables = orderCards(result, st, st.reviews);
  const reviewed = reviewedFindings(result, st.reviews);
  const queue = mergeQueue(st.steps.queue, orderedFindings(result, st, st.reviews, visible).map(reviewKey));
  const position = st.steps.cursor ? queue.indexOf(st.steps.cursor) : -1;
  const rootRef = React.useRef<HTMLDivElement>(null);
  const stepRef = React.useRef(ctl.step);
  React.useLayoutEffect(() => {
    stepRef.current = ctl.step;
  });
  // On the document: a click on the pane's text leaves the focus on <body>, and the keys must still work.
  React.useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      const inPane = el === document.body || (el !== null && !!rootRef.current?.contains(el));
      if (!inPane || typing(el) || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
      const k = e.key.toLowerCase();
      const next = (k === 'n' && !e.altKey) || (e.altKey && e.key === 'ArrowDown');
      const prev = (k === 'p' && !e.altKey) || (e.altKey && e.key === 'ArrowUp');
      if (!next && !prev) return;
      e.preventDefault();
      stepRef.current(next ? 1 : -1);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
  const actionCtx: PaneActionContext = { session, result, busy, runTask: ctl.runTask, recheck: () => ctl.check(true), reviews: st.reviews };

  return (
    <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
      <div className={s.root} data-testid="taskpane" ref={rootRef} tabIndex={-1} style={{ outline: 'none' }}>
        <div className={s.sticky} data-testid="pane-header">
          <Text className={s.title}>PerfSheet 绩效表格助手</Text>
          <div className={s.toolbar} data-testid="toolbar">
            <Button appearance="primary" size="small" className={s.toolButton} onClick={() => void ctl.check()} disabled={busy} data-testid="btn-check">
              检查
            </Button>
            <Button size="small" className={s.toolButton} onClick={ctl.openFill} disabled={busy || !result?.tables.length} data-testid="btn-fill" title="把计算结果写入表格（先预览，勾选后确认）">
              回填
            </Button>
            <Button size="small" className={s.toolButton} onClick={ctl.mark} disabled={busy || !result?.tables.length} data-testid="btn-mark" title="用条件格式标出有错误和警告的单元格">
              标记
            </Button>
            {extraActions?.(actionCtx)}
            <Menu>
              <MenuTrigger disableButtonEnhancement>
                <Button size="small" className={s.toolButton} aria-label="更多操作" data-testid="btn-more">
                  ⋯
                </Button>
              </MenuTrigger>
              <MenuPopover>
                <MenuList>
                  <MenuItem onClick={ctl.openNewForm} disabled={busy} data-testid="btn-new-form">
                    新建表格…
                  </MenuItem>
                  <MenuItem onClick={ctl.openConvert} disabled={busy || targets.length === 0} data-testid="btn-to-self-eval">
                    转为自评表…
                  </MenuItem>
                  <MenuItem onClick={() => void generateDraftAction(actionCtx)} disabled={busy || !canDraft(actionCtx)} data-testid="btn-draft">
                    生成自评报告草稿
                  </MenuItem>
                  <MenuItem onClick={ctl.clearMarks} disabled={busy} data-testid="btn-clear">
                    清除标记
                  </MenuItem>
                  <MenuItem onClick={ctl.copyFindings} disabled={!result} data-testid="btn-copy">
                    复制问题列表（表格）
                  </MenuItem>
                  <MenuItem onClick={ctl.downloadCsv} disabled={!result} data-testid="btn-csv">
                    下载问题列表（CSV）
                  </MenuItem>
                </MenuList>
              </MenuPopover>
            </Menu>
          </div>
          {total && (
            <Text size={200} data-testid="summary">
              共找到 {total.tables} 张表：错误 {n.error}，警告 {n.warning}，提示 {n.info}
              {reviewed.length > 0 && `（已复核 ${reviewed.length}）`}
            </Text>
          )}
          {result && (
            <TabList selectedValue={st.filter} onTabSelect={(_, d) => ctl.setFilter(d.value as Filter)} size="small" data-testid="filter">
              <Tab value="all">全部 {all.length}</Tab>
              <Tab value="error">错误 {n.error}</Tab>
              <Tab value="warning">警告 {n.warning}</Tab>
              <Tab value="info">提示 {n.info}</Tab>
            </TabList>
          )}
          {result && shownCount > 0 && <StepBar position={position} count={queue.length} busy={busy} onStep={ctl.step} />}
        </div>
        {st.busy && (
          <div data-testid="progress">
            <ProgressBar value={st.busy.fraction} thickness="large" />
            <Text size={200}>{st.busy.label}</Text>
          </div>
        )}
        {st.undoNotice && (
          <details className={s.notice} data-testid="undo-notice">
            <summary title={st.undoNotice}>
              ⚠ 写入操作无法用 Ctrl+Z 撤销（详情）
              <button type="button" className={s.linkButton} style={{ marginLeft: 8 }} onClick={ctl.dismissUndo} data-testid="btn-undo-notice-ok">
                知道了
              </button>
            </summary>
            {st.undoNotice}
          </details>
        )}
        {st.message && (
          <MessageBar intent={st.message.intent} data-testid={`msg-${st.message.intent}`}>
            <MessageBarBody>
              {st.message.title && <MessageBarTitle>{st.message.title}</MessageBarTitle>}
              {st.message.text}
            </MessageBarBody>
            {st.message.action === 'writeSheet' && (
              <MessageBarActions>
                <Button size="small" onClick={ctl.writeFindingsSheet} disabled={busy || !result?.tables.length} data-testid="btn-write-sheet">
                  写入工作表
                </Button>
              </MessageBarActions>
            )}
          </MessageBar>
        )}
        {result && result.tables.length === 0 && !st.newForm && (
          <div className={s.row}>
            <Button appearance="primary" size="small" onClick={ctl.openNewForm} disabled={busy} data-testid="btn-new-empty">
              新建表格
            </Button>
            <Text className={s.meta}>按官方模板新建目标表或自评表</Text>
          </div>
        )}
        {st.newForm && (
          <NewFormPanel
            form={st.newForm}
            profile={st.profile}
            busy={busy}
            undoWarning={session.undoable ? NEW_FORM_UNDO_WARNING : null}
            onChange={ctl.setNewForm}
            onCreate={ctl.createForm}
            onCancel={ctl.closeNewForm}
          />
        )}
        {st.convert && (
          <ConvertPanel
            convert={st.convert}
            targets={targets}
            busy={busy}
            undoWarning={session.undoable ? NEW_FORM_UNDO_WARNING : null}
            onToggle={ctl.toggleConvert}
            onToggleAll={ctl.toggleAllConvert}
            onConvert={ctl.convertTargets}
            onCancel={ctl.closeConvert}
          />
        )}
        {st.lastFill && !busy && (
          <div className={s.row}>
            <Button size="small" onClick={ctl.revertFill} data-testid="btn-revert-fill">
              撤销回填
            </Button>
            <Text className={s.meta}>恢复上次回填前的 {st.lastFill.length} 个单元格</Text>
          </div>
        )}
        {st.staleMarks && (
          <MessageBar intent="info" data-testid="stale-marks">
            <MessageBarBody>表格已修改，工作表上的标记可能已过时：点击「标记」更新。</MessageBarBody>
          </MessageBar>
        )}
        {st.notices.map((n) => (
          <MessageBar key={n} intent="warning">
            <MessageBarBody>{n}</MessageBarBody>
          </MessageBar>
        ))}
        {st.fill && (
          <FillPanel fill={st.fill} onToggle={ctl.toggleEdit} onToggleGroup={ctl.toggleGroup} onAccept={ctl.acceptFill} onCancel={ctl.closeFill} onScope={ctl.setFillScope} />
        )}
        {st.selection && result && <SelectionCard sel={st.selection} findings={atSelection} h={h} />}
        <TodoPanel items={todo} onSelect={ctl.select} />
        {result && all.length > 0 && shownCount === 0 && (
          <Text className={s.empty} data-testid="no-match">
            没有符合「{st.filter === 'error' ? '错误' : st.filter === 'warning' ? '警告' : '提示'}」筛选的问题。
            <button type="button" className={s.linkButton} onClick={() => ctl.setFilter('all')}>
              显示全部
            </button>
          </Text>
        )}
        {tables.map((t) => (
          <MemoTableCard key={`${t.sheet}!${t.range}`} table={t} visible={listed} h={h} />
        ))}
        {result && result.findings.filter(listed).length > 0 && (
          <div className={s.card} data-testid="other-findings">
            <Text className={s.tableName}>其他问题</Text>
            <FindingList findings={result.findings.filter(listed)} h={h} />
          </div>
        )}
        {reviewed.length > 0 && <ReviewedPanel items={reviewed} busy={busy} onSelect={ctl.selectFinding} onUndo={ctl.toggleReview} />}
        <HelpPanel url={helpUrl} />
        <details className={s.details} data-testid="settings">
          <summary>
            设置：{PROFILE_LABELS[st.profile]} · 实时检查{st.live ? '开' : '关'}
          </summary>
          <div className={s.row} style={{ marginTop: 6 }}>
            <Text size={200}>评分标准</Text>
            <Dropdown
              aria-label="评分标准"
              data-testid="profile"
              size="small"
              value={PROFILE_LABELS[st.profile]}
              selectedOptions={[st.profile]}
              onOptionSelect={(_, d) => d.optionValue && ctl.changeProfile(d.optionValue as StoredProfileId)}
              disabled={busy}
              style={{ minWidth: '110px' }}
            >
              <Option value="central">{PROFILE_LABELS.central}</Option>
              <Option value="hebei">{PROFILE_LABELS.hebei}</Option>
            </Dropdown>
          </div>
          <Text className={s.meta}>评分标准保存在工作簿中，随文件带走；命令行检查也使用它。</Text>
          <Switch label="实时检查（编辑后自动重新检查，不写入工作簿）" checked={st.live} onChange={(_, d) => ctl.setLive(d.checked)} data-testid="live" />
          <div className={s.row}>
            <Text size={200}>复核人</Text>
            <Input size="small" value={st.reviewer} onChange={(_, d) => ctl.setReviewer(d.value)} placeholder="姓名（记入「已复核」）" data-testid="reviewer" />
          </div>
        </details>
        <div className={s.footer}>
          {st.liveStamp && <div data-testid="live-stamp">{st.liveStamp}</div>}
          {st.syncInfo && (
            <details>
              <summary>开发者信息</summary>
              <div data-testid="sync-info">{st.syncInfo}</div>
            </details>
          )}
        </div>
      </div>
    </FluentProvider>
  );
}
