export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const min = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : Math.min(...values));
export const max = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : Math.max(...values));

/** `[a, b, c]` rotated left by `n` (interleaving orders between repetitions). */
export function rotate<T>(items: readonly T[], n: number): T[] {
  const k = ((n % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** The order of round `round` when every item runs once per round: rotated by the round, reversed every other round. */
export function interleaved<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? rotate(items, round) : rotate(items, round).reverse();
}

/** The lower quartile (for timings: noise only adds time, and the quartile is steadier than the minimum). */
export function lowerQuartile(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 4)]!;
}

export type Summary = { readonly median: number; readonly min: number; readonly max: number; readonly n: number };

export function summarize(values: readonly number[]): Summary | undefined {
  return values.length === 0 ? undefined : { median: median(values), min: min(values), max: max(values), n: values.length };
}

/** The fewest rounds in a block: a lower quartile of fewer batches is mostly noise where the layers are a small part of the request. */
const MIN_BLOCK = 20;
/** How much slower than in its fastest block the harness may run in a block that counts as undisturbed. */
const UNDISTURBED = 1.15;

/**
 * Ratios net of a baseline, (a − base) ÷ (b − base), of series measured in turn (element i of each in the same round):
 * one per block of consecutive rounds (`blocks`, fewer when one would hold under `MIN_BLOCK` rounds) with a positive
 * denominator; a series' figure in a block is its lower quartile there, a numerator below the baseline counts as 0.
 * Only blocks where `speed` (the harness alone, same rounds; all blocks when empty) ran within `UNDISTURBED` of its
 * fastest block count: on the reference VM whole seconds run 1.6–2× slower for every side, and there the ratios shrink
 * toward 1× by a varying amount. `speed` is neither a nor b, so that the choice of blocks favours neither side.
 */
export function blockNetRatios(a: readonly number[], b: readonly number[], base: readonly number[], speed: readonly number[] = [], blocks = 10): number[] {
  const n = Math.min(a.length, b.length, base.length, speed.length === 0 ? Infinity : speed.length);
  if (n === 0) return [];
  const size = Math.max(Math.floor(n / blocks), Math.min(MIN_BLOCK, n));
  const found: { ratio: number; speed: number }[] = [];
  for (let start = 0; start + size <= n; start += size) {
    const [x, y, z] = [a, b, base].map((s) => lowerQuartile(s.slice(start, start + size))) as [number, number, number];
    const pace = speed.length === 0 ? 0 : lowerQuartile(speed.slice(start, start + size));
    if (y - z > 0) found.push({ ratio: Math.max(x - z, 0) / (y - z), speed: pace });
  }
  const fastest = Math.min(...found.map((f) => f.speed));
  return found.filter((f) => f.speed <= fastest * UNDISTURBED).map((f) => f.ratio);
}
