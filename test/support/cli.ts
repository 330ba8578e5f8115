/** Running the headless command in-process, as the CLI tests do: stdout and stderr captured as text. */
import { main } from '../../src/cli/main';

class Sink {
  text = '';
  /** Not a terminal: progress lines are written as plain lines. */
  isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

/** Runs `perfsheet <args>`; with `ttyErr`, stderr is a terminal (progress is one line updated in place). */
export async function runCli(args: string[], opts: { ttyErr?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new Sink();
  const err = new Sink();
  err.isTTY = opts.ttyErr ?? false;
  const code = await main(args, out as never, err as never);
  return { code, out: out.text, err: err.text };
}
