// The live progress display of the CLI's long-running subcommands (`measure`, local invoke): one row per item —
// queued, building with elapsed time, cached, done or failed. In a terminal it redraws in place (listr2); when
// stdout is not a terminal (CI logs, --json > file) it prints one plain line per state change to stderr.
import { Listr } from 'listr2';

/** What an item's work reports while it runs. */
export interface ItemProgress {
  /** The slow part started (e.g. `docker build`); the display shows elapsed time from now on. */
  building(activity?: string): void;
  /** Served from a cache: nothing had to run. */
  cached(detail?: string): void;
}

export interface ProgressItem<T> {
  /** Row label, e.g. the function path. */
  readonly title: string;
  /** The work; resolves with a one-line summary (`summary`) and the value. */
  run(progress: ItemProgress): Promise<{ value: T; summary: string }>;
}

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

export interface ProgressOptions {
  /**
   * Redraw in place (listr2, on stdout). Only when stdout is a terminal: a redirected stdout (`--json > report.json`,
   * a pipe, CI) gets plain lines on `stream` and keeps only the command's own output.
   * @default stdout is a terminal at least 40 columns wide
   */
  readonly interactive?: boolean;
  /** Items at once. Builds contend for CPU, so one at a time by default. @default 1 */
  readonly concurrency?: number;
  /** Where plain lines go. @default process.stderr */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Runs every item, showing its progress; a failed item does not stop the others. Results keep the items' order. */
export async function runWithProgress<T>(items: ProgressItem<T>[], options: ProgressOptions = {}): Promise<Settled<T>[]> {
  const stream = options.stream ?? process.stderr;
  // A terminal of unknown width (e.g. under `script`) would wrap every character: plain lines there too.
  const interactive = options.interactive ?? (process.stdout.isTTY === true && (process.stdout.columns ?? 0) >= 40);
  return interactive ? runInteractive(items, options.concurrency ?? 1) : runPlain(items, options.concurrency ?? 1, stream);
}

async function runPlain<T>(items: ProgressItem<T>[], concurrency: number, stream: NodeJS.WritableStream): Promise<Settled<T>[]> {
  const line = (text: string) => stream.write(`${text}\n`);
  for (const item of items) line(`${item.title}: queued`);
  return inPool(items, concurrency, async item => {
    const started = Date.now();
    let building: number | undefined;
    const progress: ItemProgress = {
      building: activity => { building = Date.now(); line(`${item.title}: ${activity ?? 'building'}…`); },
      cached: detail => line(`${item.title}: cached${detail ? ` (${detail})` : ''}`),
    };
    try {
      const r = await item.run(progress);
      line(`${item.title}: ${r.summary}${building !== undefined ? ` in ${seconds(Date.now() - started)}` : ''}`);
      return { ok: true, value: r.value };
    } catch (error) {
      line(`${item.title}: failed: ${firstLine(error, item.title)}`);
      return { ok: false, error: error as Error };
    }
  });
}

async function runInteractive<T>(items: ProgressItem<T>[], concurrency: number): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(items.length);
  const list = new Listr(items.map((item, index) => ({
    title: `${item.title}: queued`,
    task: async (_: unknown, task: { title: string }) => {
      task.title = `${item.title}: starting`;
      let ticker: NodeJS.Timeout | undefined;
      const progress: ItemProgress = {
        building: activity => {
          if (ticker) clearInterval(ticker); // a new activity (building, then measuring) restarts the clock
          const since = Date.now();
          const show = () => { task.title = `${item.title}: ${activity ?? 'building'} ${seconds(Date.now() - since)}`; };
          show();
          ticker = setInterval(show, 1000);
        },
        cached: detail => { task.title = `${item.title}: cached${detail ? ` (${detail})` : ''}`; },
      };
      try {
        const r = await item.run(progress);
        results[index] = { ok: true, value: r.value };
        task.title = `${item.title}: ${r.summary}`;
      } catch (error) {
        results[index] = { ok: false, error: error as Error };
        task.title = `${item.title}: failed: ${firstLine(error, item.title)}`;
        throw error;
      } finally {
        if (ticker) clearInterval(ticker);
      }
    },
  })), {
    concurrent: concurrency > 1 ? concurrency : false,
    exitOnError: false,
    // A failed row keeps its title (`App/Fn: failed: <first line>`): listr2 would otherwise replace it with the bare error,
    // which does not say which item failed.
    rendererOptions: { collapseErrors: true, showErrorMessage: false },
  });
  await list.run().catch(() => undefined); // failures are in `results`
  return results;
}

async function inPool<I, R>(items: I[], concurrency: number, work: (item: I) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The error's first line, without the item's title when the message starts with it (no `X: failed: X: …`). */
function firstLine(error: unknown, title: string): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return line.startsWith(`${title}: `) ? line.slice(title.length + 2) : line;
}
