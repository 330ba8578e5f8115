/**
 * The PerfSheet task pane. It talks to the workbook only through WorkbookSession (src/excel), so the same
 * component runs in Excel (Office.js host) and in the browser preview (in-memory host).
 *
 * State and workbook calls live in ./controller (a reducer and the hook that owns the session calls); the
 * components in ./components render them. Laid out for a 320 px pane: the toolbar, the summary and the
 * filters stay in view; the findings of the cell the user selects come first, then the current sheet's.
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
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
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
import { ConvertPanel, NEW_FORM_UNDO_WARNING, NewFormPanel } from './components/NewForms';
import { canDraft, generateDraftAction } from './DraftAction';
import { FillPanel } from './components/FillPanel';
import type { FindingHandlers } from './components/Findings';
import { FindingList } from './components/Findings';
import { SelectionCard, TodoPanel } from './components/Side';
import { usePaneStyles } from './components/styles';
import { TableCard } from './components/TableCard';
import { PROFILE_LABELS } from './labels';

interface Props {
  session: WorkbookSession;
  /** Extra action buttons (e.g. 「生成报告」), shown after the built-in ones. */
  extraActions?: (ctx: PaneActionContext) => React.ReactNode;
  /** Registers a callback the host calls when the pane becomes visible again (re-reads everything). */
  onShown?: (handler: () => void) => void;
  /** Debounce of live re-checks, ms. */
  liveDelayMs?: number;
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

export function App({ session, extraActions, onShown, liveDelayMs }: Props): React.ReactElement {
  const s = usePaneStyles();
  const ctl = usePaneController(session, { liveDelayMs, onShown });
  const st = ctl.state;
  const busy = st.busy !== null;
  const result = st.result;
  const total = result?.summary ?? null;
  const visible = (f: Finding) => st.filter === 'all' || f.severity === st.filter;
  const all = result ? allFindings(result) : [];
  const shownCount = all.filter(visible).length;
  const atSelection = findingsAt(result, st.selection);
  const h: FindingHandlers = {
    onSelect: (f) => ctl.select(f.sheet, f.cell),
    onReview: ctl.toggleReview,
    reviews: st.reviews,
    selected: new Set(atSelection.map(reviewKey)),
  };
  const todo = result ? todoList(result) : [];
  const targets = targetTables(result);
  const tables = result
    ? [...result.tables].sort((a, b) => Number(b.sheet === st.activeSheet) - Number(a.sheet === st.activeSheet))
    : [];
  const actionCtx: PaneActionContext = { session, result, busy, runTask: ctl.runTask, recheck: () => ctl.check(true), reviews: st.reviews };

  return (
    <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
      <div className={s.root} data-testid="taskpane">
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
              共找到 {total.tables} 张表：错误 {total.errors}，警告 {total.warnings}，提示 {total.infos}
            </Text>
          )}
          {result && (
            <TabList selectedValue={st.filter} onTabSelect={(_, d) => ctl.setFilter(d.value as Filter)} size="small" data-testid="filter">
              <Tab value="all">全部 {all.length}</Tab>
              <Tab value="error">错误 {total?.errors ?? 0}</Tab>
              <Tab value="warning">警告 {total?.warnings ?? 0}</Tab>
              <Tab value="info">提示 {total?.infos ?? 0}</Tab>
            </TabList>
          )}
        </div>
        {st.busy && (
          <div data-testid="progress">
            <ProgressBar value={st.busy.fraction} thickness="large" />
            <Text size={200}>{st.busy.label}</Text>
          </div>
        )}
        {st.undoNotice && (
          <MessageBar intent="warning" data-testid="undo-notice">
            <MessageBarBody>{st.undoNotice}</MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={ctl.dismissUndo} data-testid="btn-undo-notice-ok">
                知道了
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {st.message && (
          <MessageBar intent={st.message.intent} data-testid={`msg-${st.message.intent}`}>
            <MessageBarBody>
              {st.message.title && <MessageBarTitle>{st.message.title}</MessageBarTitle>}
              {st.message.text}
            </MessageBarBody>
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
          <FillPanel fill={st.fill} onToggle={ctl.toggleEdit} onToggleGroup={ctl.toggleGroup} onAccept={ctl.acceptFill} onCancel={ctl.closeFill} />
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
          <TableCard key={`${t.sheet}!${t.range}`} table={t} visible={visible} h={h} />
        ))}
        {result && result.findings.filter(visible).length > 0 && (
          <div className={s.card} data-testid="other-findings">
            <Text className={s.tableName}>其他问题</Text>
            <FindingList findings={result.findings.filter(visible)} h={h} />
          </div>
        )}
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
