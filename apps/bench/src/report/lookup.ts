/**
 * Figures looked up in the results: in-process rows and their paired ratios, server and
 * direct rows and their per-repetition ratios. Frameworks are taken from the rows, so a
 * framework added to the in-process drivers or the servers shows up without changes here.
 */
import type { InprocessRow } from '../inprocess/run.js';
import { FRAMEWORKS, INCUMBENT, OURS } from '../inprocess/drivers.js';
import type { ServerFramework, Variant } from '../server/apps.js';
import type { DirectRow } from '../server/direct.js';
import type { Kind, ServerRow, ServerRun } from '../server/run.js';
import { blockNetRatios, lowerQuartile, min, summarize, type Summary } from '../stats.js';
import type { Results } from './load.js';

/** In-process rows of one Node version (the default run, or Node 24's). */
export type Rows = readonly InprocessRow[] | undefined;
/** An in-process side, as a string so that sides added later read the same. */
export type SideName = 'incumbent' | 'ours' | 'core' | 'floor' | 'baseline';

/** The order frameworks and sides are listed in: the drivers' table first, then any other in the rows. */
const SIDE_ORDER: readonly string[] = ['incumbent', 'ours', 'core', 'floor', 'baseline'];

/** The in-process frameworks present in `rows`, in the drivers' order. */
export function inprocFrameworks(rows: readonly { readonly framework: string }[] | undefined): string[] {
  const present = new Set((rows ?? []).map((x) => x.framework as string));
  const known = (FRAMEWORKS as readonly string[]).filter((f) => present.has(f));
  return [...known, ...[...present].filter((f) => !known.includes(f))];
}

/** The sides measured for a framework in `rows`, in the usual order. */
export function inprocSides(rows: Rows, framework: string): SideName[] {
  const present = new Set((rows ?? []).filter((x) => x.framework === framework).map((x) => x.side as string));
  return SIDE_ORDER.filter((s) => present.has(s)) as SideName[];
}

/** The incumbent's package name for an in-process framework; undefined when it has none (plain fetch). */
export function incumbentName(framework: string): string | undefined {
  return (INCUMBENT as Partial<Record<string, string>>)[framework];
}

/** Our package for an in-process framework. */
export function oursName(framework: string): string {
  return (OURS as Partial<Record<string, string>>)[framework] ?? 'ours';
}

export function inproc(rows: Rows, caseId: string, framework: string, side: SideName): InprocessRow | undefined {
  return rows?.find((x) => x.caseId === caseId && x.framework === framework && x.side === side);
}

/**
 * The tinybench figure of a side: the fastest of its rounds (each round's figure is already a
 * median over many batches). On a shared VM noise only ever adds time and a burst can cover
 * whole rounds of one side and not the other; the fastest round is the least disturbed
 * measurement of the same deterministic code (what Python's `timeit` recommends).
 */
export function inprocNs(rows: Rows, caseId: string, framework: string, side: SideName): number | undefined {
  const row = inproc(rows, caseId, framework, side);
  return row?.ns === undefined || row.rounds.length === 0 ? undefined : min(row.rounds);
}

/** The median over tinybench rounds, for comparison with the fastest round. */
export function inprocMedianNs(rows: Rows, caseId: string, framework: string, side: SideName): number | undefined {
  return inproc(rows, caseId, framework, side)?.ns ?? undefined;
}

/** A side's steadiest absolute figure: the lower quartile of its paired batches, else its fastest tinybench round. */
export function inprocSteadyNs(rows: Rows, caseId: string, framework: string, side: SideName): number | undefined {
  const row = inproc(rows, caseId, framework, side);
  if (row === undefined || row.problem !== undefined) return undefined;
  return row.paired !== undefined && row.paired.length > 0 ? lowerQuartile(row.paired) : inprocNs(rows, caseId, framework, side);
}

/** Rows measured in the same child process (so their paired rounds line up). */
function sameGroup(ids: readonly string[]): boolean {
  return ids.every((id) => id === ids[0]) || ids.every((id) => id.startsWith('flat:'));
}

type Ref = readonly [caseId: string, side: SideName];

function pairedSeries(rows: Rows, f: string, ref: Ref): readonly number[] {
  const row = inproc(rows, ref[0], f, ref[1]);
  return row?.problem === undefined ? (row?.paired ?? []) : [];
}

/**
 * (a − baseline) ÷ (b − baseline) from the paired phase, where the sides took turns batch by
 * batch: one ratio per block of rounds (`blockNetRatios`), median and range over blocks.
 * Undefined without paired data or for rows of different processes.
 */
export function pairedNetRatio(rows: Rows, f: string, a: Ref, b: Ref, baseline: Ref): Summary | undefined {
  if (!sameGroup([a[0], b[0], baseline[0]])) return undefined;
  return summarize(blockNetRatios(pairedSeries(rows, f, a), pairedSeries(rows, f, b), pairedSeries(rows, f, baseline)));
}

/** a ÷ b from the paired phase, raw (no baseline subtracted): what the ≤ 1.05× floor target is judged on. */
export function pairedRawRatio(rows: Rows, f: string, a: Ref, b: Ref): Summary | undefined {
  if (!sameGroup([a[0], b[0]])) return undefined;
  const x = pairedSeries(rows, f, a);
  return summarize(blockNetRatios(x, pairedSeries(rows, f, b), x.map(() => 0)));
}

export function div(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** (a − baseline) ÷ (b − baseline): the layers' own time, without the harness and stand-in application. */
export function netRatio(a: number | undefined, b: number | undefined, baseline: number | undefined): number | undefined {
  if (a === undefined || b === undefined || baseline === undefined) return undefined;
  return b - baseline <= 0 ? undefined : Math.max(a - baseline, 0) / (b - baseline);
}

/** A time net of the baseline, as text. */
export function netNs(value: number | undefined, baseline: number | undefined): number | undefined {
  return value === undefined || baseline === undefined ? undefined : Math.max(value - baseline, 0);
}

/** The in-process net ratio a report shows first: the paired one, or the fastest rounds' when there is none. */
export function headlineNetRatio(rows: Rows, f: string, a: Ref, b: Ref, baseline: Ref): number | undefined {
  return pairedNetRatio(rows, f, a, b, baseline)?.median ?? netRatio(inprocNs(rows, a[0], f, a[1]), inprocNs(rows, b[0], f, b[1]), inprocNs(rows, baseline[0], f, baseline[1]));
}

/** ours ÷ incumbent for a case, net of the baseline (paired when possible). Undefined without an incumbent. */
/**
 * Whether the baseline costs as much as either side's whole answer (a bare app whose route
 * answers the preflight): then there is no net time to divide, and the raw ratio is used.
 */
export function baselineSwamps(rows: Rows, f: string, caseId: string): boolean {
  const baseOverOurs = pairedRawRatio(rows, f, [caseId, 'baseline'], [caseId, 'ours'])?.median ?? 0;
  const baseOverIncumbent = pairedRawRatio(rows, f, [caseId, 'baseline'], [caseId, 'incumbent'])?.median ?? 0;
  return baseOverOurs >= 1 || baseOverIncumbent >= 1;
}

export function oursOverIncumbent(rows: Rows, f: string, caseId: string): number | undefined {
  if (baselineSwamps(rows, f, caseId)) {
    return pairedRawRatio(rows, f, [caseId, 'ours'], [caseId, 'incumbent'])?.median ?? div(inprocNs(rows, caseId, f, 'ours'), inprocNs(rows, caseId, f, 'incumbent'));
  }
  return headlineNetRatio(rows, f, [caseId, 'ours'], [caseId, 'incumbent'], [caseId, 'baseline']);
}

/** ours ÷ floor for a case, raw time per request (paired when possible). */
export function oursOverFloor(rows: Rows, f: string, caseId: string): number | undefined {
  return pairedRawRatio(rows, f, [caseId, 'ours'], [caseId, 'floor'])?.median ?? div(inprocNs(rows, caseId, f, 'ours'), inprocNs(rows, caseId, f, 'floor'));
}

// ---------------------------------------------------------------------------------------
// Servers over loopback, and the "direct" part.

export function serverRow(r: Results, framework: ServerFramework, kind: Kind, variant: Variant): ServerRow | undefined {
  return r.server?.rows.find((x) => x.framework === framework && x.kind === kind && x.variant === variant);
}

/** The server frameworks present in the loopback or direct results, in the servers' order. */
export function serverFrameworks(r: Results, all: readonly ServerFramework[]): ServerFramework[] {
  const present = new Set<string>([...(r.server?.rows ?? []).map((x) => x.framework), ...(r.direct?.results ?? []).map((x) => x.framework)]);
  return all.filter((f) => present.has(f));
}

/** Ratios of interleaved runs taken in the same repetition, then their median and range. */
export function paired(a: ServerRow | undefined, b: ServerRow | undefined, metric: (run: ServerRun) => number | undefined): Summary | undefined {
  if (a === undefined || b === undefined || a.problem !== undefined || b.problem !== undefined) return undefined;
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.runs.length, b.runs.length); i++) {
    const x = metric(a.runs[i]!);
    const y = metric(b.runs[i]!);
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return summarize(ratios);
}

export const rps = (run: ServerRun): number => run.rps;
export const cpu = (run: ServerRun): number | undefined => run.cpuUsPerRequest;

export function directRow(r: Results, framework: ServerFramework, kind: Kind, variant: Variant): DirectRow | undefined {
  return r.direct?.results.find((x) => x.framework === framework)?.rows.find((x) => x.kind === kind && x.variant === variant);
}

/** A direct ratio per round plus the ratio of the fastest rounds. */
export type DirectPaired = Summary & { readonly fastest: number };

/** Throughput ratio a ÷ b per round (b's time ÷ a's time, same round), and the ratio of the fastest rounds. */
export function directPaired(a: DirectRow | undefined, b: DirectRow | undefined): DirectPaired | undefined {
  if (a === undefined || b === undefined || a.rounds.length === 0 || a.rounds.length !== b.rounds.length) return undefined;
  const ratios = a.rounds.map((t, i) => b.rounds[i]! / t);
  return { ...summarize(ratios)!, fastest: min(b.rounds) / min(a.rounds) };
}

/** Shorthand: the direct throughput ratio of two variants of a framework. */
export function direct(r: Results, f: ServerFramework, kind: Kind, a: Variant, b: Variant): DirectPaired | undefined {
  return directPaired(directRow(r, f, kind, a), directRow(r, f, kind, b));
}

/** Shorthand: the loopback throughput ratio of two variants of a framework. */
export function loopback(r: Results, f: ServerFramework, kind: Kind, a: Variant, b: Variant, metric: (run: ServerRun) => number | undefined = rps): Summary | undefined {
  return paired(serverRow(r, f, kind, a), serverRow(r, f, kind, b), metric);
}
