/** What jest's global setup records for its teardown (the same process: a global carries it). */
import { ImageTags } from '../integ/support/engine-images';

export const RUN_PREFIX = 'ccf-test-run-';

export interface RunState {
  /** The temporary directory before the run (the machine's). */
  readonly realTmp: string;
  /** The run's own temporary directory: TMPDIR for every test and child process. */
  readonly runDir: string;
  /** The engine's image tags before the run, when an engine answered. */
  readonly images?: ImageTags;
}

const KEY = '__ccfTestRun';

export function saveRunState(state: RunState): void {
  (globalThis as Record<string, unknown>)[KEY] = state;
}

export function loadRunState(): RunState | undefined {
  return (globalThis as Record<string, unknown>)[KEY] as RunState | undefined;
}
