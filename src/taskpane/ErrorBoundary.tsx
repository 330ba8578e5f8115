/** Keeps the pane from ever going blank: a rendering failure shows a Chinese message and a retry button. */
import * as React from 'react';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends React.Component<{ children: React.ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error('PerfSheet pane failed to render', error);
  }

  override render(): React.ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" data-testid="pane-crash" style={{ padding: 16, fontFamily: '"Segoe UI", "Microsoft YaHei", sans-serif' }}>
        <h3 style={{ marginTop: 0 }}>PerfSheet 出现了问题</h3>
        <p>任务窗格显示时出错：{this.state.error.message}</p>
        <p>工作簿没有被修改。请点击下面的按钮重试；如果问题仍然存在，请关闭并重新打开任务窗格。</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          重试
        </button>
      </div>
    );
  }
}
