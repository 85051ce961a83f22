/**
 * Compile time and retained heap of large origin lists (issue: multi-tenant scale).
 *
 *   pnpm bench:compile             # in packages/core
 *
 * Each measurement runs in this process after a GC; the list is built from flat strings
 * (as JSON or a database driver delivers them) before the clock starts, and the Set-only
 * line shows what a plain `new Set()` of the same strings costs, for comparison (the policy
 * keeps exact origins in its own table, sized once: `OriginTable`). "retained" is what the built structure keeps beyond the strings the
 * application already holds. Targets: 1,000,000 exact origins ≤ 0.5 s retaining ≤ 30 MB;
 * 100,000 `*.` patterns ≤ 0.2 s. Numbers are indicative: run it on an idle machine.
 *
 * `--json` prints the figures as one JSON line instead (apps/bench's `scale` part reads it).
 */
import { compileCors } from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? ((): never => {
  throw new Error('run with --expose-gc (pnpm bench:compile does)');
});
/** Heap plus ArrayBuffer backing stores (typed arrays live outside the JS heap). */
const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const flat = (list: string[]): string[] => JSON.parse(JSON.stringify(list)) as string[];
const exact = (n: number): string[] => flat(Array.from({ length: n }, (_, i) => `https://tenant-${i}.shop.example.com`));
const patterns = (n: number): string[] => flat(Array.from({ length: n }, (_, i) => `https://*.t${i}.example.com`));

/** One measured structure: fastest and median build time over ROUNDS, and the heap it retains. */
interface Figure {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly fastestMs: number;
  readonly medianMs: number;
  readonly retainedBytes: number;
}

function measure(id: string, name: string, make: () => string[], build: (list: string[]) => unknown): Figure {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const list = make();
    gc();
    const start = performance.now();
    build(list);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  // What the built structure keeps beyond the strings the application already holds.
  const list = make();
  gc();
  const before = used();
  const kept = build(list);
  gc();
  const retained = used() - before;
  if (kept === undefined || list.length === 0) throw new Error('nothing built');
  const figure = { id, name, size: list.length, fastestMs: times[0]!, medianMs: times[Math.floor(times.length / 2)]!, retainedBytes: retained };
  if (!json) console.log(`${name.padEnd(34)} fastest ${figure.fastestMs.toFixed(0).padStart(5)} ms · median ${figure.medianMs.toFixed(0).padStart(5)} ms · retained ${(retained / 1e6).toFixed(1)} MB`);
  return figure;
}

const json = process.argv.includes('--json');
const figures = [
  measure('exact-1m-set', '1,000,000 exact origins: Set only', () => exact(1_000_000), (list) => new Set(list)),
  measure('exact-1m', '1,000,000 exact origins: compile', () => exact(1_000_000), (list) => compileCors({ origin: list })),
  measure('patterns-100k', '100,000 *. patterns: compile', () => patterns(100_000), (list) => compileCors({ origin: list })),
];
if (json) console.log(JSON.stringify({ rounds: ROUNDS, figures }));
