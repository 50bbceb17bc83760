// Internal: the one way sizes are written and read, in the checks' findings, the measurement report, the CLI and the
// construct's errors. Binary units spelled as binary units (KiB, MiB, GiB), as CDK's `Size.mebibytes()` and Lambda's
// image limit count them, so "MB" never means two things. Imports nothing: it sits below every other module.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * `123456789` → `117.7 MiB`, `921600` → `900 KiB`, `10737418240` → `10 GiB`, `512` → `512 B`: the largest unit that
 * keeps the number at 1 or more, rounded to one decimal, without a trailing `.0`. A size of at least one byte never
 * reads as 0.
 */
export function formatSize(bytes: number): string {
  let unit = 0;
  let value = bytes;
  // Up a unit at 1024, or where rounding would write 1024 of this one (1023.97 KiB is 1 MiB).
  while (unit < UNITS.length - 1 && (value >= 1024 || (unit > 0 && Math.round(value * 10) / 10 >= 1024))) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(bytes)} B`;
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * `500MiB`, `1.5 GiB`, `10 kb`, `1048576` (bytes) → bytes. Units are binary whichever way they are spelled (`MB` is
 * read as MiB, as CLI users type it), so what `formatSize` writes reads back.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?\s*$/i.exec(text);
  if (!m) throw new Error(`'${text}' is not a size. Write it like 500MiB, 1.5GiB or 1048576 (bytes).`);
  const exponent = 'bkmgt'.indexOf((m[2] ?? 'b').toLowerCase()[0]);
  return Math.round(Number(m[1]) * 1024 ** exponent);
}
