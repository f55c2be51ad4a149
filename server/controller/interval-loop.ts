/**
 * A pass run every interval while a loop is started: never two at once (a slow pass makes the
 * next tick a no-op), never after stop (which waits for the pass in flight), and a failed pass
 * is reported, never thrown at the timer.
 */
export type TIntervalLoopOptions = {
  intervalMs: number;
  pass: () => Promise<unknown>;
  onError: (error: unknown) => void;
};

export class IntervalLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private hasStopped = false;

  constructor(private readonly options: TIntervalLoopOptions) {}

  /** True once stop() was called: a long pass checks it between its steps. */
  get isStopped(): boolean {
    return this.hasStopped;
  }

  /** Runs a pass now, then every interval. */
  start(): void {
    this.timer = setInterval(() => this.runNow(), this.options.intervalMs);
    this.runNow();
  }

  async stop(): Promise<void> {
    this.hasStopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a pass unless one runs or the loop stopped. */
  runNow(): void {
    if (this.hasStopped || this.running) {
      return;
    }
    this.running = this.options
      .pass()
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.running = undefined;
      });
  }
}
