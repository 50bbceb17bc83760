// What requests do while `--watch` rebuilds: requests for the functions being rebuilt wait for the rebuild, at most
// WATCH_REQUEST_WAIT_MS, so once a rebuild has finished no request is answered by the code it replaced; requests for
// the other functions go on (an edit to the app's own source holds every function: a synth may change any). A request still waiting at the bound gets the
// endpoint's "being updated" answer instead of old code (Lambda itself answers ResourceConflictException while a
// function's update is in progress).

/** How long a request waits for a rebuild before it is answered "still rebuilding". */
export const WATCH_REQUEST_WAIT_MS = 60_000;

export class RebuildGate {
  /** What each hold covers: some functions' construct paths, or (undefined) every function. */
  private readonly holds = new Set<{ readonly paths?: ReadonlySet<string> }>();
  private waiting: { readonly paths?: readonly string[]; readonly open: () => void }[] = [];

  constructor(private readonly waitMs = WATCH_REQUEST_WAIT_MS) {}

  /** True while a rebuild holds requests. */
  get held(): boolean {
    return this.holds.size > 0;
  }

  /**
   * Holds the requests for the functions at `paths` (construct paths; every function when undefined) until the
   * returned release is called (once; later calls do nothing).
   */
  hold(paths?: readonly string[]): () => void {
    const hold = { paths: paths ? new Set(paths) : undefined };
    this.holds.add(hold);
    return () => {
      if (!this.holds.delete(hold)) return;
      const still = this.waiting.filter(w => this.covers(w.paths));
      for (const w of this.waiting.filter(x => !still.includes(x))) w.open();
      this.waiting = still;
    };
  }

  /**
   * Resolves true when no rebuild holds the requests for any of `paths` (a request for an unknown function passes
   * undefined: it waits for every hold), at once when none does; false when the wait bound passed first.
   */
  pass(paths?: readonly string[]): Promise<boolean> {
    if (!this.covers(paths)) return Promise.resolve(true);
    return new Promise(resolve => {
      const open = () => { clearTimeout(timer); resolve(true); };
      const waiter = { paths, open };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter(w => w !== waiter);
        resolve(false);
      }, this.waitMs);
      this.waiting.push(waiter);
    });
  }

  private covers(paths: readonly string[] | undefined): boolean {
    for (const hold of this.holds) {
      if (!hold.paths || !paths || paths.some(p => hold.paths!.has(p))) return true;
    }
    return false;
  }
}
