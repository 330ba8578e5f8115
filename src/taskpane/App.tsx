/**
 * The PerfSheet task pane. It talks to the workbook only through WorkbookSession (src/excel), so the same
 * component runs in Excel (Office.js host) and in the browser preview (in-memory host).
 */
import * as React from 'react';
import {
  Badge,
  Button,
  Dropdown,
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  ProgressBar,
  Switch,
  Tab,
  TabList,
  Text,
  tokens,
  webLightTheme,
} from '@fluentui/react-components';
import { summarize } from '../domain/engine';
import type { CellEdit, Finding, Severity, TableResult, WorkbookResult } from '../domain/types';
import { describeError, EditOutcome, StoredProfileId, WorkbookSession } from '../excel/session';
import { counts, EDIT_STATUS_LABELS, fmtEditValue, fmtPercent, fmtScore, KIND_LABELS, PROFILE_LABELS, SEVERITY_LABELS } from './labels';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: '10px',
    padding: '12px',
    fontFamily: tokens.fontFamilyBase,
    boxSizing: 'border-box',
    minHeight: '100%',
  },
  title: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '6px' },
  row: { display: 'flex', alignItems: 'center', gap: '10px', flexWrap: 'wrap' },
  card: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 10px',
    display: 'flex',
    flexDirection: 'column',
    gap: '4px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  cardHead: { display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: '6px' },
  tableName: { fontWeight: tokens.fontWeightSemibold },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  stats: { display: 'flex', gap: '10px', flexWrap: 'wrap', fontSize: tokens.fontSizeBase300 },
  finding: {
    display: 'flex',
    gap: '6px',
    alignItems: 'flex-start',
    textAlign: 'left',
    width: '100%',
    border: 'none',
    background: 'none',
    padding: '4px 2px',
    cursor: 'pointer',
    borderTop: `1px solid ${tokens.colorNeutralStroke3}`,
    fontFamily: 'inherit',
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground1,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  cellRef: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'nowrap', flex: 'none' },
  editTable: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200 },
  td: { borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, padding: '3px', verticalAlign: 'top' },
  skipped: { color: tokens.colorNeutralForeground3 },
  editRow: {
    display: 'flex',
    gap: '8px',
    alignItems: 'flex-start',
    padding: '3px 0',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    fontSize: tokens.fontSizeBase200,
  },
  editMain: { display: 'flex', flexDirection: 'column', flex: 1, minWidth: 0 },
  details: { fontSize: tokens.fontSizeBase200, '& summary': { cursor: 'pointer', color: tokens.colorBrandForeground1 } },
  footer: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, marginTop: 'auto' },
});

type Filter = 'all' | Severity;

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
}

interface Message {
  intent: 'success' | 'error' | 'warning' | 'info';
  title?: string;
  text: string;
}

function sortTables(tables: TableResult[], order: string[]): TableResult[] {
  const idx = (s: string) => {
    const i = order.indexOf(s);
    return i < 0 ? order.length : i;
  };
  return [...tables].sort((a, b) => idx(a.sheet) - idx(b.sheet) || a.range.localeCompare(b.range, 'en', { numeric: true }));
}

export function App({ session, extraActions, onShown, liveDelayMs = 300 }: Props): React.ReactElement {
  const s = useStyles();
  const [result, setResult] = React.useState<WorkbookResult | null>(null);
  const [busy, setBusy] = React.useState<{ label: string; fraction?: number } | null>(null);
  const [message, setMessage] = React.useState<Message | null>(null);
  const [notices, setNotices] = React.useState<string[]>([]);
  const [filter, setFilter] = React.useState<Filter>('all');
  const [live, setLive] = React.useState(true);
  const [profile, setProfile] = React.useState<StoredProfileId>('central');
  const [edits, setEdits] = React.useState<CellEdit[] | null>(null);
  const [syncInfo, setSyncInfo] = React.useState<string>('');
  const [liveStamp, setLiveStamp] = React.useState<string>('');
  const [stale, setStale] = React.useState(false);
  const chain = React.useRef<Promise<unknown>>(Promise.resolve());
  /** False after 「清除标记」: live re-checks then leave the sheet unmarked until the next full check. */
  const marksOn = React.useRef(true);
  const resultRef = React.useRef<WorkbookResult | null>(null);
  resultRef.current = result;

  /** Serialises operations on the workbook (a live re-check never interleaves with a write). */
  const enqueue = React.useCallback(<T,>(task: () => Promise<T>): Promise<T> => {
    const next = chain.current.then(task, task);
    chain.current = next.catch(() => undefined);
    return next;
  }, []);

  const note = (op: string) => setSyncInfo(`${op}：${session.lastSyncs} 次与 Excel 同步`);

  const check = React.useCallback(
    async (profileOverride?: StoredProfileId, keepMessage = false) => {
      await enqueue(async () => {
        setBusy({ label: '读取工作簿…', fraction: 0 });
        if (!keepMessage) setMessage(null);
        try {
          const r = await session.check((fraction, label) => setBusy({ label, fraction }), profileOverride);
          const syncs = session.lastSyncs;
          setProfile(r.profile);
          setResult({ ...r.result, tables: sortTables(r.result.tables, r.sheets.map((x) => x.name)) });
          setNotices(r.notices.map((n) => n.message));
          setSyncInfo(`检查工作簿：读取 ${syncs} 次与 Excel 同步（未写入工作簿）`);
          if (r.result.tables.length === 0) {
            setMessage({ intent: 'info', text: '工作簿中没有找到绩效目标表或绩效自评表。请确认表头包含「一级指标」「二级指标」「三级指标」等标准栏目。' });
          }
        } catch (e) {
          setMessage({ intent: 'error', title: '检查失败', text: describeError(e) });
        } finally {
          setBusy(null);
        }
      });
    },
    [enqueue, session],
  );

  const runTask = React.useCallback(
    async (label: string, task: () => Promise<string | void>) => {
      await enqueue(async () => {
        setBusy({ label });
        setMessage(null);
        try {
          const text = await task();
          if (text) setMessage({ intent: 'success', text });
        } catch (e) {
          setMessage({ intent: 'error', title: `${label.replace(/…$/, '')}失败`, text: describeError(e) });
        } finally {
          setBusy(null);
        }
      });
    },
    [enqueue],
  );

  // Live re-check of the changed sheet.
  const recheckSheet = React.useCallback(
    (sheetId: string) =>
      enqueue(async () => {
        const before = resultRef.current;
        const oldName = session.sheets.find((x) => x.id === sheetId)?.name;
        try {
          const r = await session.recheckSheet(sheetId);
          if (r.marked) setStale(true);
          note('实时检查');
          const base = before ?? { profile: session.profile, tables: [], findings: [], summary: summarize([]) };
          const tables = sortTables(
            [...base.tables.filter((t) => t.sheet !== oldName && t.sheet !== r.sheet), ...r.tables],
            session.sheets.map((x) => x.name),
          );
          const findings = [...base.findings.filter((f) => f.sheet !== oldName && f.sheet !== r.sheet), ...r.findings];
          setResult({ ...base, tables, findings, summary: summarize(tables, findings) });
          setLiveStamp(`已于 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })} 重新检查「${r.sheet}」`);
        } catch (e) {
          setMessage({ intent: 'error', title: '实时检查失败', text: describeError(e) });
        }
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [enqueue, session],
  );

  React.useEffect(() => {
    const reason = session.unsupportedReason();
    if (reason) {
      setMessage({ intent: 'error', title: '无法运行', text: reason });
      return;
    }
    void check();
    void enqueue(() => session.watch((id) => void recheckSheet(id), liveDelayMs)).catch((e) =>
      setMessage({ intent: 'warning', title: '实时检查不可用', text: describeError(e) }),
    );
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    document.addEventListener('visibilitychange', onVisible);
    onShown?.(() => void check());
    return () => document.removeEventListener('visibilitychange', onVisible);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session]);

  const toggleLive = (on: boolean) => {
    setLive(on);
    session.setLive(on);
    // Edits made while live validation was off were not checked: catch up at once.
    if (on) void check();
  };

  const changeProfile = (id: StoredProfileId) => {
    setProfile(id);
    void runTask('保存评分标准…', async () => {
      await session.saveProfile(id);
    }).then(() => check(id, true));
  };

  const openEdits = () => {
    if (!result) return;
    setEdits(result.tables.flatMap((t) => t.edits));
  };

  const acceptEdits = () => {
    const list = edits ?? [];
    setEdits(null);
    void runTask('回填计算结果…', async () => {
      const out: EditOutcome = await session.applyEdits(list);
      note('回填');
      return describeOutcome(out);
    }).then(() => check(undefined, true));
  };

  const mark = () =>
    void runTask('标记有问题的单元格…', async () => {
      if (!resultRef.current) return;
      const r = await session.highlight(allOf(resultRef.current));
      marksOn.current = true;
      setStale(false);
      note('标记');
      const skipped = r.protectedSheets.length ? `；工作表「${r.protectedSheets.join('」「')}」受保护，未标记` : '';
      return `已用条件格式标记 ${r.added} 处（错误红色、警告黄色）${skipped}。`;
    });

  const clearMarks = () =>
    void runTask('清除标记…', async () => {
      const r = await session.clearMarks();
      marksOn.current = false;
      note('清除标记');
      return r.removed ? `已清除 PerfSheet 添加的 ${r.removed} 处标记（其他条件格式未改动）。` : '没有需要清除的标记。';
    });

  const selectFinding = (f: Finding) =>
    void enqueue(async () => {
      try {
        await session.select(f.sheet, f.cell);
      } catch (e) {
        setMessage({ intent: 'error', title: '无法定位单元格', text: describeError(e) });
      }
    });

  const total = result ? result.summary : null;
  const actionCtx: PaneActionContext = { session, result, busy: busy !== null, runTask, recheck: () => check(undefined, true) };
  const visible = (f: Finding) => filter === 'all' || f.severity === filter;
  const allFindings = result ? allOf(result) : [];

  return (
    <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
      <div className={s.root} data-testid="taskpane">
        <Text className={s.title}>PerfSheet 绩效表格助手</Text>
        <div className={s.toolbar}>
          <Button appearance="primary" onClick={() => void check()} disabled={busy !== null} data-testid="btn-check">
            检查工作簿
          </Button>
          <Button onClick={openEdits} disabled={busy !== null || !result} data-testid="btn-fill">
            回填计算结果
          </Button>
          <Button onClick={mark} disabled={busy !== null || !result} data-testid="btn-mark">
            标记
          </Button>
          <Button onClick={clearMarks} disabled={busy !== null} data-testid="btn-clear">
            清除标记
          </Button>
          {extraActions?.(actionCtx)}
        </div>
        <div className={s.row}>
          <Text size={200}>评分标准</Text>
          <Dropdown
            aria-label="评分标准"
            data-testid="profile"
            value={PROFILE_LABELS[profile]}
            selectedOptions={[profile]}
            onOptionSelect={(_, d) => d.optionValue && changeProfile(d.optionValue as StoredProfileId)}
            disabled={busy !== null}
            style={{ minWidth: '120px' }}
          >
            <Option value="central">{PROFILE_LABELS.central}</Option>
            <Option value="hebei">{PROFILE_LABELS.hebei}</Option>
          </Dropdown>
          <Switch label="实时检查" checked={live} onChange={(_, d) => toggleLive(d.checked)} data-testid="live" />
        </div>
        {busy && (
          <div data-testid="progress">
            <ProgressBar value={busy.fraction} thickness="large" />
            <Text size={200}>{busy.label}</Text>
          </div>
        )}
        {message && (
          <MessageBar intent={message.intent} data-testid={`msg-${message.intent}`}>
            <MessageBarBody>
              {message.title && <MessageBarTitle>{message.title}</MessageBarTitle>}
              {message.text}
            </MessageBarBody>
          </MessageBar>
        )}
        {notices.map((n) => (
          <MessageBar key={n} intent="warning">
            <MessageBarBody>{n}</MessageBarBody>
          </MessageBar>
        ))}
        {edits && <EditsPanel edits={edits} onAccept={acceptEdits} onCancel={() => setEdits(null)} />}
        {total && (
          <Text size={300} data-testid="summary">
            共找到 {total.tables} 张表：错误 {total.errors}，警告 {total.warnings}，提示 {total.infos}
          </Text>
        )}
        {result && (
          <TabList selectedValue={filter} onTabSelect={(_, d) => setFilter(d.value as Filter)} size="small" data-testid="filter">
            <Tab value="all">全部 {allFindings.length}</Tab>
            <Tab value="error">错误 {total?.errors ?? 0}</Tab>
            <Tab value="warning">警告 {total?.warnings ?? 0}</Tab>
            <Tab value="info">提示 {total?.infos ?? 0}</Tab>
          </TabList>
        )}
        {result?.tables.map((t) => (
          <TableCard key={`${t.sheet}!${t.range}`} table={t} visible={visible} onSelect={selectFinding} />
        ))}
        {result && result.findings.filter(visible).length > 0 && (
          <div className={s.card} data-testid="other-findings">
            <Text className={s.tableName}>其他问题</Text>
            {result.findings.filter(visible).map((f, i) => (
              <FindingRow key={i} f={f} onSelect={selectFinding} />
            ))}
          </div>
        )}
        <div className={s.footer}>
          {liveStamp && <div data-testid="live-stamp">{liveStamp}</div>}
          {syncInfo && <div data-testid="sync-info">{syncInfo}</div>}
        </div>
      </div>
    </FluentProvider>
  );
}

function allOf(r: WorkbookResult): Finding[] {
  return [...r.tables.flatMap((t) => t.findings), ...r.findings];
}

function describeOutcome(out: EditOutcome): string {
  const formula = out.skipped.filter((x) => x.reason.startsWith('公式')).length;
  const other = out.skipped.length - formula - out.skipped.filter((x) => x.reason === '已是计算结果').length;
  const parts = [`已回填 ${out.written.length} 个单元格`];
  if (formula) parts.push(`跳过 ${formula} 个公式单元格`);
  if (other) parts.push(`${other} 个单元格在检查后已被修改，未覆盖`);
  return `${parts.join('，')}。`;
}

function TableCard({ table: t, visible, onSelect }: { table: TableResult; visible: (f: Finding) => boolean; onSelect: (f: Finding) => void }) {
  const s = useStyles();
  const c = counts(t);
  const shown = t.findings.filter(visible);
  return (
    <div className={s.card} data-testid="table-card" data-sheet={t.sheet}>
      <div className={s.cardHead}>
        <Text className={s.tableName}>{t.name || '（未命名）'}</Text>
        <Badge appearance="tint" color="brand" size="small">
          {KIND_LABELS[t.kind]}
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
          </span>
          <span>
            等级 <b data-testid="grade">{t.grade ?? '—'}</b>
          </span>
        </div>
      )}
      <div className={s.stats}>
        <Badge color={c.error ? 'danger' : 'informative'} appearance={c.error ? 'filled' : 'outline'} size="small">
          错误 {c.error}
        </Badge>
        <Badge color={c.warning ? 'warning' : 'informative'} appearance={c.warning ? 'filled' : 'outline'} size="small">
          警告 {c.warning}
        </Badge>
        <Badge color="informative" appearance="outline" size="small">
          提示 {c.info}
        </Badge>
      </div>
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
      {shown.map((f, i) => (
        <FindingRow key={`${f.code}-${f.cell}-${i}`} f={f} onSelect={onSelect} />
      ))}
    </div>
  );
}

const SEVERITY_COLORS = { error: 'danger', warning: 'warning', info: 'informative' } as const;

function FindingRow({ f, onSelect }: { f: Finding; onSelect: (f: Finding) => void }) {
  const s = useStyles();
  return (
    <button
      type="button"
      className={s.finding}
      onClick={() => onSelect(f)}
      title="点击定位到该单元格"
      data-testid="finding"
      data-severity={f.severity}
      data-code={f.code}
      data-cell={`${f.sheet}!${f.cell}`}
    >
      <Badge color={SEVERITY_COLORS[f.severity]} size="small" appearance="filled" style={{ flex: 'none', whiteSpace: 'nowrap' }}>
        {SEVERITY_LABELS[f.severity]}
      </Badge>
      <span className={s.cellRef}>
        {f.code} {f.cell}
      </span>
      <span>{f.message}</span>
    </button>
  );
}

function EditsPanel({ edits, onAccept, onCancel }: { edits: CellEdit[]; onAccept: () => void; onCancel: () => void }) {
  const s = useStyles();
  const writable = edits.filter((e) => e.status === 'empty' || e.status === 'change');
  const sheets = [...new Set(edits.map((e) => e.sheet))];
  const statusColor = { empty: 'success', change: 'warning', same: 'informative', formula: 'subtle', merged: 'subtle' } as const;
  return (
    <div className={s.card} data-testid="edits">
      <Text className={s.tableName}>回填计算结果：{writable.length} 个单元格将被写入</Text>
      <Text className={s.meta}>只写入计算得出的单元格；公式单元格不会被覆盖。</Text>
      {edits.length === 0 && <Text size={200}>没有可回填的计算结果。</Text>}
      {sheets.map((sheet) => (
        <div key={sheet}>
          <Text weight="semibold" size={200}>
            {sheet}
          </Text>
          {edits
            .filter((e) => e.sheet === sheet)
            .map((e) => (
              <div
                key={e.cell}
                className={`${s.editRow}${e.status === 'formula' || e.status === 'same' || e.status === 'merged' ? ` ${s.skipped}` : ''}`}
                data-testid="edit-row"
                data-cell={`${e.sheet}!${e.cell}`}
                data-status={e.status}
              >
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
                </span>
                <Badge size="small" appearance="tint" color={statusColor[e.status]} style={{ flex: 'none' }}>
                  {EDIT_STATUS_LABELS[e.status]}
                </Badge>
              </div>
            ))}
        </div>
      ))}
      <div className={s.toolbar}>
        <Button appearance="primary" onClick={onAccept} disabled={writable.length === 0} data-testid="btn-accept">
          确认回填
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </div>
    </div>
  );
}
