/**
 * Figures looked up in the results: in-process rows and their paired ratios, server and direct
 * rows and their per-round ratios. Frameworks come from the rows, so a new one needs no change here.
 */
import { CASES } from '../config.js';
import type { InprocessRow } from '../inprocess/run.js';
import { FRAMEWORKS, IN_PROCESS, SIDE_ORDER, type Side } from '../inprocess/drivers.js';
import type { ServerFramework, Variant } from '../server/apps.js';
import type { Kind, ServerRun } from '../server/run.js';
import { blockNetRatios, lowerQuartile, median, min, summarize, type Summary } from '../stats.js';
import type { Results } from './load.js';

/** In-process rows of one Node version (the default run, or Node 24's). */
export type Rows = readonly InprocessRow[] | undefined;
/** A row of a paired group: its case id and side. */
type Ref = readonly [caseId: string, side: Side];

/** The in-process frameworks present in `rows`: the drivers' order first, then any other. */
export function inprocFrameworks(rows: readonly { readonly framework: string }[] | undefined): string[] {
  const present = new Set((rows ?? []).map((x) => x.framework));
  const known = (FRAMEWORKS as readonly string[]).filter((f) => present.has(f));
  return [...known, ...[...present].filter((f) => !known.includes(f))];
}

/** The cases present in `rows`, in the configuration's order. */
export function casesOf(rows: Rows): typeof CASES {
  const ids = new Set((rows ?? []).map((x) => x.caseId));
  return CASES.filter((c) => ids.has(c.id));
}

/** The sides measured for a framework in `rows`, in the usual order. */
export function inprocSides(rows: Rows, framework: string): Side[] {
  const present = new Set((rows ?? []).filter((x) => x.framework === framework).map((x) => x.side));
  return SIDE_ORDER.filter((s) => present.has(s));
}

/** The incumbent's name for an in-process framework; undefined when it has none (plain fetch). */
export function incumbentName(framework: string): string | undefined {
  return (IN_PROCESS as Partial<Record<string, { incumbent?: string }>>)[framework]?.incumbent;
}

/** Our layer's name for an in-process framework. */
export function oursName(framework: string): string {
  return (IN_PROCESS as Partial<Record<string, { ours: string }>>)[framework]?.ours ?? 'ours';
}

/** Per results file, the figures computed from it (the report asks for the same figures many times). */
const memos = new WeakMap<readonly InprocessRow[], Map<string, unknown>>();

/** `compute()`, once per results file and key. */
function memo<T>(rows: Rows, key: string, compute: () => T): T {
  if (rows === undefined) return compute();
  let cache = memos.get(rows);
  if (cache === undefined) memos.set(rows, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}

/** The rows of one side, one per process that measured its group. */
function inprocRows(rows: Rows, caseId: string, framework: string, side: Side): readonly InprocessRow[] {
  return memo(rows, `rows|${caseId}|${framework}|${side}`, () =>
    (rows ?? []).filter((x) => x.caseId === caseId && x.framework === framework && x.side === side));
}

/** One side's row, its processes taken together: every batch, and the first problem any of them found. */
export function inproc(rows: Rows, caseId: string, framework: string, side: Side): InprocessRow | undefined {
  const found = inprocRows(rows, caseId, framework, side);
  if (found.length <= 1) return found[0];
  return memo(rows, `row|${caseId}|${framework}|${side}`, () => ({
    ...found[0]!, paired: found.flatMap((x) => x.paired), problem: found.find((x) => x.problem !== undefined)?.problem,
  }));
}

/**
 * A side's time per request: the lower quartile of its batches (noise on a shared VM only adds
 * time, and the quartile is steadier than the fastest batch); undefined when it was not measured.
 */
export function inprocNs(rows: Rows, caseId: string, framework: string, side: Side): number | undefined {
  return memo(rows, `ns|${caseId}|${framework}|${side}`, () => {
    const row = inproc(rows, caseId, framework, side);
    return row === undefined || row.problem !== undefined || row.paired.length === 0 ? undefined : lowerQuartile(row.paired);
  });
}

/** Whether rows were measured in the same child process (so that their paired rounds line up). */
function sameGroup(ids: readonly string[]): boolean {
  return ids.every((id) => id === ids[0]) || ids.every((id) => id.startsWith('flat:'));
}

/**
 * A ratio measured in each process of a group (`ratios(series)`: one per block, from the rows of
 * that process), summarized over the processes: the median of their medians, the range of all
 * their blocks. Each process is paired on its own; two processes never are.
 */
function acrossProcesses(rows: Rows, f: string, a: Ref, ratios: (series: (ref: Ref) => readonly number[]) => number[]): Summary | undefined {
  const processes = inprocRows(rows, a[0], f, a[1]).map((x) => x.process ?? 0);
  const found = processes.map((p) => {
    const series = (ref: Ref): readonly number[] => {
      const row = inprocRows(rows, ref[0], f, ref[1]).find((x) => (x.process ?? 0) === p);
      return row?.problem === undefined ? (row?.paired ?? []) : [];
    };
    return summarize(ratios(series));
  }).filter((x) => x !== undefined);
  if (found.length === 0) return undefined;
  return {
    median: median(found.map((x) => x.median)),
    min: Math.min(...found.map((x) => x.min)),
    max: Math.max(...found.map((x) => x.max)),
    n: found.reduce((sum, x) => sum + x.n, 0),
  };
}

/**
 * (a − baseline) ÷ (b − baseline) from the paired rounds: one ratio per undisturbed block of rounds
 * (`blockNetRatios`), over the group's processes. Undefined without data or for rows of different groups.
 */
export function pairedNetRatio(rows: Rows, f: string, a: Ref, b: Ref, baseline: Ref): Summary | undefined {
  if (!sameGroup([a[0], b[0], baseline[0]])) return undefined;
  return memo(rows, `net|${f}|${a.join()}|${b.join()}|${baseline.join()}`, () =>
    acrossProcesses(rows, f, a, (series) => blockNetRatios(series(a), series(b), series(baseline), series(baseline))));
}

/** a ÷ b from the paired rounds, raw (no baseline subtracted): what the ≤ 1.05× floor target is judged on. */
export function pairedRawRatio(rows: Rows, f: string, a: Ref, b: Ref): Summary | undefined {
  if (!sameGroup([a[0], b[0]])) return undefined;
  // The group's harness alone (its baseline row) tells the undisturbed blocks.
  const harness: Ref = [a[0].startsWith('flat:') ? 'flat:simple-10' : a[0], 'baseline'];
  return memo(rows, `raw|${f}|${a.join()}|${b.join()}`, () =>
    acrossProcesses(rows, f, a, (series) => blockNetRatios(series(a), series(b), series(a).map(() => 0), series(harness))));
}

export function div(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** (a − baseline) ÷ (b − baseline) of separate figures (rows of different processes, which cannot be paired). */
export function netRatio(a: number | undefined, b: number | undefined, baseline: number | undefined): number | undefined {
  if (a === undefined || b === undefined || baseline === undefined) return undefined;
  return b - baseline <= 0 ? undefined : Math.max(a - baseline, 0) / (b - baseline);
}

/** A time net of the baseline (0 at least). */
export function netNs(value: number | undefined, baseline: number | undefined): number | undefined {
  return value === undefined || baseline === undefined ? undefined : Math.max(value - baseline, 0);
}

/**
 * Whether the baseline costs as much as either side's whole answer (a bare app whose route
 * answers the preflight): then there is no net time to divide, and the raw ratio is used.
 */
export function baselineSwamps(rows: Rows, f: string, caseId: string): boolean {
  const baseOver = (side: Side): number => pairedRawRatio(rows, f, [caseId, 'baseline'], [caseId, side])?.median ?? 0;
  return baseOver('ours') >= 1 || baseOver('incumbent') >= 1;
}

/** ours ÷ incumbent for a case: net of the baseline, or raw where the baseline swamps it (paired when possible). */
export function oursOverIncumbent(rows: Rows, f: string, caseId: string): number | undefined {
  const [ours, incumbent] = [[caseId, 'ours'], [caseId, 'incumbent']] as const;
  return (baselineSwamps(rows, f, caseId) ? pairedRawRatio(rows, f, ours, incumbent) : pairedNetRatio(rows, f, ours, incumbent, [caseId, 'baseline']))?.median;
}

/** ours ÷ floor for a case, raw time per request; or any side `a` ÷ side `b`. */
export function oursOverFloor(rows: Rows, f: string, caseId: string, a: Side = 'ours', b: Side = 'floor'): number | undefined {
  return pairedRawRatio(rows, f, [caseId, a], [caseId, b])?.median;
}

// Servers over loopback, and the "direct" part.

export const rps = (run: ServerRun): number => run.rps;
export const cpu = (run: ServerRun): number | undefined => run.cpuUsPerRequest;

/** The server frameworks present in the loopback or direct results, in `all`'s order. */
export function serverFrameworks(r: Results, all: readonly ServerFramework[]): ServerFramework[] {
  const present = new Set<string>([...(r.server?.rows ?? []).map((x) => x.framework), ...(r.direct?.results ?? []).map((x) => x.framework)]);
  return all.filter((f) => present.has(f));
}

/** The loopback ratio a ÷ b of `metric` (throughput by default) per interleaved repetition: median and range. */
export function loopback(r: Results, f: ServerFramework, kind: Kind, a: Variant, b: Variant, metric: (run: ServerRun) => number | undefined = rps): Summary | undefined {
  const [x, y] = [a, b].map((v) => r.server?.rows.find((row) => row.framework === f && row.kind === kind && row.variant === v));
  if (x === undefined || y === undefined || x.problem !== undefined || y.problem !== undefined) return undefined;
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(x.runs.length, y.runs.length); i++) {
    const p = metric(x.runs[i]!);
    const q = metric(y.runs[i]!);
    if (p !== undefined && q !== undefined && q > 0) ratios.push(p / q);
  }
  return summarize(ratios);
}

/** A direct ratio per round plus the ratio of the fastest rounds. */
export type DirectPaired = Summary & { readonly fastest: number };

/** The direct throughput ratio a ÷ b per round (b's time ÷ a's, same round), and that of the fastest rounds. */
export function direct(r: Results, f: ServerFramework, kind: Kind, a: Variant, b: Variant): DirectPaired | undefined {
  const rows = r.direct?.results.find((x) => x.framework === f)?.rows;
  const [x, y] = [a, b].map((v) => rows?.find((row) => row.kind === kind && row.variant === v));
  if (x === undefined || y === undefined || x.rounds.length === 0 || x.rounds.length !== y.rounds.length) return undefined;
  return { ...summarize(x.rounds.map((t, i) => y.rounds[i]! / t))!, fastest: min(y.rounds) / min(x.rounds) };
}
