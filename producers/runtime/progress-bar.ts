/**
 * A progress bar for a known amount of work: redrawn in place on a terminal, a line every tenth of
 * the way elsewhere (CI logs, kubectl logs), so a long run is never silent.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private readonly tty: boolean;
  private lastDecile = -1;
  /** Work already done when the bar started (a resumed run), left out of the rate. */
  private first: number | undefined;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY) && process.env.CI !== "true";
  }

  update(done: number, note = ""): void {
    const fraction = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const elapsed = (Date.now() - this.started) / 1000;
    this.first ??= done;
    const rate = elapsed > 0 ? (done - this.first) / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const text = `${this.label} ${done}/${this.total} ${this.unit} ${Math.round(fraction * 100)}% ${Math.round(rate)}/s eta ${eta.toFixed(0)}s${note ? ` ${note}` : ""}`;
    if (this.tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      this.out.write(`\r\x1b[2K[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.tty) this.out.write("\n");
  }
}
