// What every sample event generator receives: the user's options with defaults, a clock, and ids
// derived from the inputs (the same command prints the same event, so a saved event diffs cleanly).
import * as crypto from 'crypto';

export interface EventOptions {
  readonly region?: string;
  readonly account?: string;
  readonly bucket?: string;
  readonly key?: string;
  /** Message body, record data, request body or EventBridge detail, by kind. */
  readonly body?: string;
  readonly queue?: string;
  readonly topic?: string;
  readonly table?: string;
  readonly stream?: string;
  readonly method?: string;
  readonly path?: string;
  readonly source?: string;
  readonly detailType?: string;
  readonly partitionKey?: string;
}

export interface EventContext {
  readonly o: Required<Pick<EventOptions, 'region' | 'account'>> & EventOptions;
  readonly now: Date;
  /** A stable UUID for `label` (same inputs, same id). */
  uuid(label: string): string;
  /** Stable hex of `length` characters for `label`. */
  hex(label: string, length: number): string;
}

export function eventContext(o: EventOptions, now = new Date()): EventContext {
  const seed = JSON.stringify(o);
  const hex = (label: string, length: number) => {
    let out = '';
    for (let i = 0; out.length < length; i++) out += crypto.createHash('sha256').update(`${seed}\0${label}\0${i}`).digest('hex');
    return out.slice(0, length);
  };
  return {
    o: { region: 'us-east-1', account: '123456789012', ...o },
    now,
    hex,
    uuid: label => {
      const h = hex(label, 32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

/** API Gateway's request time format: `01/Dec/2026:17:05:00 +0000`. */
export function clfTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
