/**
 * The preview's stand-in for Excel's grid: shows the simulated workbook's active sheet (merged cells,
 * number formats, conditional-format highlights, selection) with sheet tabs. Typing into a cell changes
 * it the way a user does in Excel, which fires the host's worksheet-changed event.
 */
import * as React from 'react';
import type ExcelJS from 'exceljs';
import { Area, colName } from '../domain/grid';
import type { SimConditionalFormat } from '../excel-sim';
import type { GridHost } from './hosts';
import { formatCell } from './format';

const MAX_ROWS_SHOWN = 400;

function useSimVersion(sim: GridHost): number {
  return React.useSyncExternalStore(
    (cb) => sim.subscribe(cb),
    () => sim.version,
  );
}

/** Custom conditional formats whose rule is a constant (e.g. PerfSheet's `=ISTEXT("…")`) are evaluated. */
function constantTrue(cf: SimConditionalFormat): boolean {
  const f = cf.formula.replace(/\s+/g, '').toUpperCase();
  return cf.type === 'Custom' && (f === '=TRUE' || /^=ISTEXT\("[^"]*"\)$/.test(f));
}

function inArea(a: Area, r: number, c: number): boolean {
  return r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1;
}

export function Grid({ sim }: { sim: GridHost }): React.ReactElement {
  useSimVersion(sim);
  const sheet = sim.activeSheet;
  const model = sim.model;
  const sm = model.sheetByKey(sheet)!;
  const used = sim.usedArea(sheet);
  const merges = sim.merges(sheet);
  const cfs = sim.conditionalFormats(sheet).filter(constantTrue).sort((a, b) => a.priority - b.priority);
  const sel = sim.selection;
  const selArea = sel && sel.sheet === sheet ? parseSel(sel.address) : null;
  const [editing, setEditing] = React.useState<{ r: number; c: number; text: string } | null>(null);
  // Typing in a cell is Excel's cell-edit mode: the add-in's batches wait (delayForCellEdit) until it ends.
  const isEditing = editing !== null;
  React.useEffect(() => {
    if (!isEditing) return;
    sim.userBeginCellEdit();
    return () => sim.userEndCellEdit();
  }, [isEditing, sim]);
  const [barDraft, setBarDraft] = React.useState<{ key: string; text: string } | null>(null);

  const nRows = Math.min(Math.max((used?.r1 ?? 0) + 3, 20), MAX_ROWS_SHOWN);
  const nCols = Math.max((used?.c1 ?? 0) + 2, 8);
  const covered = new Map<string, Area>();
  const anchors = new Map<string, Area>();
  for (const m of merges) {
    anchors.set(`${m.r0},${m.c0}`, m);
    for (let r = m.r0; r <= m.r1; r++) for (let c = m.c0; c <= m.c1; c++) if (r !== m.r0 || c !== m.c0) covered.set(`${r},${c}`, m);
  }
  const widths = Array.from({ length: nCols }, (_, c) => {
    const w = sm.ws.getColumn(c + 1).width;
    return Math.round((w && w > 0 ? w : 9) * 7.5 + 6);
  });

  const selCell = selArea ? { r: selArea.r0, c: selArea.c0 } : null;
  const selContent = selCell ? sim.model.readCell(sm, selCell.r, selCell.c) : null;
  // The formula bar shows the selected cell's content. What is typed there is a draft for that cell as the
  // workbook is now: selecting another cell or any change to the workbook drops it.
  const barKey = JSON.stringify([sheet, selCell?.r, selCell?.c, sim.version]);
  const barText =
    barDraft && barDraft.key === barKey ? barDraft.text : selContent ? String(selContent.formula ?? selContent.value) : '';

  const commit = (r: number, c: number, text: string) => {
    const before = sim.model.readCell(sm, r, c);
    const old = String(before.formula ?? before.value);
    setEditing(null);
    if (text !== old) sim.userEdit(sheet, `${colName(c)}${r + 1}`, text);
  };

  const rows: React.ReactNode[] = [];
  for (let r = 0; r < nRows; r++) {
    const cells: React.ReactNode[] = [
      <th key="h" className="ps-rowhead">
        {r + 1}
      </th>,
    ];
    for (let c = 0; c < nCols; c++) {
      const key = `${r},${c}`;
      if (covered.has(key)) continue;
      const m = anchors.get(key);
      const cell = model.readCell(sm, r, c);
      const addr = `${colName(c)}${r + 1}`;
      const hit = cfs.find((cf) => cf.areas.some((a) => inArea(a, r, c)));
      const selected = !!selArea && inArea(selArea, r, c);
      const style: React.CSSProperties = {};
      const xl = sm.ws.findCell(r + 1, c + 1);
      const align = xl?.alignment;
      if (align?.horizontal && ['left', 'center', 'right'].includes(align.horizontal)) style.textAlign = align.horizontal as 'left';
      if (align?.vertical === 'top') style.verticalAlign = 'top';
      if (!align?.wrapText) {
        style.whiteSpace = 'nowrap';
        style.overflow = 'visible';
      }
      if (xl?.font?.bold) style.fontWeight = 600;
      Object.assign(style, cellLook(xl));
      if (hit?.fill) style.background = hit.fill;
      if (hit?.fontColor) style.color = hit.fontColor;
      const isNum = typeof cell.value === 'number';
      const content =
        editing && editing.r === r && editing.c === c ? (
          <input
            autoFocus
            className="ps-editor"
            data-testid="cell-editor"
            value={editing.text}
            onChange={(e) => setEditing({ r, c, text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit(r, c, editing.text);
              if (e.key === 'Escape') setEditing(null);
            }}
            onBlur={() => commit(r, c, editing.text)}
          />
        ) : (
          formatCell(cell.value, cell.numFmt)
        );
      cells.push(
        <td
          key={key}
          rowSpan={m ? m.r1 - m.r0 + 1 : undefined}
          colSpan={m ? m.c1 - m.c0 + 1 : undefined}
          data-addr={addr}
          data-selected={selected ? 'true' : undefined}
          data-mark={hit ? (hit.formula.includes('error') ? 'error' : hit.formula.includes('warning') ? 'warning' : 'cf') : undefined}
          className={`ps-cell${selected ? ' ps-selected' : ''}${isNum ? ' ps-num' : ''}`}
          style={style}
          onClick={() => sim.userSelect(sheet, addr)}
          onDoubleClick={() => setEditing({ r, c, text: String(cell.formula ?? cell.value) })}
          title={cell.formula ?? undefined}
        >
          {content}
        </td>,
      );
    }
    const h = sm.ws.findRow(r + 1)?.height;
    rows.push(
      <tr key={r} style={h ? { height: Math.round((h * 4) / 3) } : undefined}>
        {cells}
      </tr>,
    );
  }

  return (
    <div
      className="ps-grid-wrap"
      tabIndex={0}
      data-testid="grid-wrap"
      onPaste={(e) => {
        if (!selCell || editing || (e.target as HTMLElement).tagName === 'INPUT') return;
        const text = e.clipboardData.getData('text/plain');
        if (!text) return;
        e.preventDefault();
        const rowsIn = text.replace(/\r?\n$/, '').split(/\r?\n/).map((line) => line.split('\t'));
        sim.userPaste(sheet, `${colName(selCell.c)}${selCell.r + 1}`, rowsIn);
      }}
    >
      <div className="ps-formula-bar">
        <span className="ps-namebox" data-testid="namebox">
          {selCell ? `${colName(selCell.c)}${selCell.r + 1}` : ''}
        </span>
        <button
          type="button"
          className="ps-small"
          data-testid="btn-insert-row"
          disabled={!selCell}
          title="在所选单元格上方插入一行"
          onClick={() => selCell && sim.userInsertRows(sheet, selCell.r + 1, 1)}
        >
          插入行
        </button>
        <input
          data-testid="formula-bar"
          aria-label="编辑栏"
          value={barText}
          disabled={!selCell}
          onChange={(e) => setBarDraft({ key: barKey, text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && selCell) commit(selCell.r, selCell.c, barText);
          }}
        />
      </div>
      <div className="ps-grid-scroll">
        <table className="ps-grid" data-testid="grid" data-sheet={sheet}>
          <colgroup>
            <col style={{ width: 40 }} />
            {widths.map((w, i) => (
              <col key={i} style={{ width: w }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th className="ps-corner" />
              {widths.map((_, c) => (
                <th key={c} className="ps-colhead">
                  {colName(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{rows}</tbody>
        </table>
        {used && used.r1 + 1 > MAX_ROWS_SHOWN && <div className="ps-more">（预览只显示前 {MAX_ROWS_SHOWN} 行，共 {used.r1 + 1} 行）</div>}
      </div>
      <div className="ps-tabs" role="tablist">
        {sim.sheetNames().map((n) => (
          <button key={n} role="tab" aria-selected={n === sheet} className={n === sheet ? 'ps-tab ps-tab-active' : 'ps-tab'} data-testid="sheet-tab" onClick={() => sim.userActivate(n)}>
            {n}
          </button>
        ))}
      </div>
    </div>
  );
}

function argbToCss(argb: unknown): string | undefined {
  if (typeof argb !== 'string' || argb.length < 6) return undefined;
  return `#${argb.slice(-6)}`;
}

/** The cell's own fill, font colour and borders (theme colours are not resolved). */
function cellLook(xl: ExcelJS.Cell | undefined): React.CSSProperties {
  const out: React.CSSProperties = {};
  if (!xl) return out;
  const fill = xl.fill as ExcelJS.FillPattern | undefined;
  if (fill && fill.type === 'pattern' && fill.pattern === 'solid') {
    const bg = argbToCss(fill.fgColor?.argb);
    if (bg) out.background = bg;
  }
  const fc = argbToCss(xl.font?.color?.argb);
  if (fc) out.color = fc;
  const b = xl.border;
  if (b) {
    const side = (x: Partial<ExcelJS.Border> | undefined) =>
      x && x.style ? `${x.style === 'medium' ? 2 : x.style === 'thick' ? 3 : 1}px solid ${argbToCss(x.color?.argb) ?? '#000'}` : undefined;
    const t = side(b.top);
    const bo = side(b.bottom);
    const l = side(b.left);
    const ri = side(b.right);
    if (t) out.borderTop = t;
    if (bo) out.borderBottom = bo;
    if (l) out.borderLeft = l;
    if (ri) out.borderRight = ri;
  }
  return out;
}

function parseSel(address: string): Area | null {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(address);
  if (!m) return null;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const r0 = Number(m[2]) - 1;
  const c0 = col(m[1]);
  return { r0, c0, r1: m[4] ? Number(m[4]) - 1 : r0, c1: m[3] ? col(m[3]) : c0 };
}
