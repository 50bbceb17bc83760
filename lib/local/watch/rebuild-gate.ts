// What requests do while `--watch` rebuilds: they wait for the rebuild, at most WATCH_REQUEST_WAIT_MS, so once a
// rebuild has finished no request is answered by the code it replaced. A request still waiting at the bound gets the
// endpoint's "being updated" answer instead of old code (Lambda itself answers ResourceConflictException while a
// function's update is in progress).

/** How long a request waits for a rebuild before it is answered "still rebuilding". */
export const WATCH_REQUEST_WAIT_MS = 60_000;

export class RebuildGate {
  private holds = 0;
  private opened: (() => void)[] = [];

  constructor(private readonly waitMs = WATCH_REQUEST_WAIT_MS) {}

  /** True while a rebuild holds requests. */
  get held(): boolean {
    return this.holds > 0;
  }

  /** Holds requests until the returned release is called (once; later calls do nothing). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) for (const open of this.opened.splice(0)) open();
    };
  }

  /** Resolves true when no rebuild holds requests (at once when none does), false when the wait bound passed first. */
  pass(): Promise<boolean> {
    if (this.holds === 0) return Promise.resolve(true);
    return new Promise(resolve => {
      const open = () => { clearTimeout(timer); resolve(true); };
      const timer = setTimeout(() => {
        this.opened = this.opened.filter(o => o !== open);
        resolve(false);
      }, this.waitMs);
      this.opened.push(open);
    });
  }
}
