/**
 * A live progress line for work on several named items at once: redrawn in place on a terminal,
 * one line per change elsewhere (CI logs), so long work is never silent.
 */
export class ProgressLine {
  private readonly states = new Map<string, { text: string; since: number }>();
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly tty: boolean;

  constructor(
    names: readonly string[],
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY) && process.env.CI !== "true";
    for (const name of names) this.states.set(name, { text: "waiting", since: Date.now() });
    if (this.tty) this.timer = setInterval(() => this.redraw(), 250);
  }

  set(name: string, text: string): void {
    const previous = this.states.get(name);
    if (previous?.text === text) return;
    this.states.set(name, { text, since: Date.now() });
    if (this.tty) this.redraw();
    else this.out.write(`[${seconds(Date.now() - this.started)}] ${name}: ${text}\n`);
  }

  private redraw(): void {
    const parts = [...this.states].map(([name, s]) => `${name}: ${s.text} ${seconds(Date.now() - s.since)}`);
    const line = `[${seconds(Date.now() - this.started)}] ${parts.join(" | ")}`;
    const width = this.out.columns ?? 160;
    this.out.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) this.out.write("\r\x1b[2K");
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
