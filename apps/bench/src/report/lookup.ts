// Figures looked up in the results: in-process rows and their paired ratios, server and direct rows and their per-round ratios.
// Frameworks come from the rows, so a new one needs no change here.
import { CASES } from '../config.js';
import type { InprocessRow } from '../inprocess/run.js';
import { FRAMEWORKS, IN_PROCESS, type Side } from '../inprocess/drivers.js';
import { SERVER_FRAMEWORKS, type Kind, type ServerFramework, type Variant } from '../server/apps.js';
import { blockNetRatios, lowerQuartile, median, min, summarize, type Summary } from '../stats.js';
import type { Results } from './load.js';

export type Rows = readonly InprocessRow[] | undefined;
export const HEADLINE_CASES = { simple: 'simple-10', preflight: 'preflight-10' } as const;
type Ref = readonly [caseId: string, side: Side];

/** The in-process frameworks present in `rows`, in the drivers' order; only those with an incumbent if asked. */
export function inprocFrameworks(rows: readonly { readonly framework: string }[] | undefined, withIncumbent = false): string[] {
  const present = new Set((rows ?? []).map((x) => x.framework));
  return FRAMEWORKS.filter((f) => present.has(f) && (!withIncumbent || incumbentName(f) !== undefined));
}

export function casesOf(rows: readonly { readonly caseId: string }[] | undefined): typeof CASES {
  const ids = new Set((rows ?? []).map((x) => x.caseId));
  return CASES.filter((c) => ids.has(c.id));
}

const layers = IN_PROCESS as Partial<Record<string, { readonly ours: string; readonly incumbent?: string }>>;
/** Undefined when the framework has no incumbent (plain fetch). */
export const incumbentName = (framework: string): string | undefined => layers[framework]?.incumbent;
export const oursName = (framework: string): string => layers[framework]?.ours ?? 'ours';

/** One per process that measured the side's group. */
function inprocRows(rows: Rows, caseId: string, framework: string, side: Side): readonly InprocessRow[] {
  return (rows ?? []).filter((x) => x.caseId === caseId && x.framework === framework && x.side === side);
}

/** One side's row, its processes taken together: every batch, and the first problem any of them found. */
export function inproc(rows: Rows, caseId: string, framework: string, side: Side): InprocessRow | undefined {
  const found = inprocRows(rows, caseId, framework, side);
  if (found.length <= 1) return found[0];
  return { ...found[0]!, paired: found.flatMap((x) => x.paired), problem: found.find((x) => x.problem !== undefined)?.problem };
}

/** A side's time per request, undefined when not measured: the lower quartile of its batches (noise only adds time; steadier than the fastest). */
export function inprocNs(rows: Rows, caseId: string, framework: string, side: Side): number | undefined {
  const row = inproc(rows, caseId, framework, side);
  return row === undefined || row.problem !== undefined || row.paired.length === 0 ? undefined : lowerQuartile(row.paired);
}

// a ÷ b from the paired rounds, one ratio per undisturbed block: net of `net` ((a − net) ÷ (b − net)) when given, else raw (what the
// ≤ 1.05× floor target is judged on). In each process of the group on its own: the median of their medians, the range of all blocks.
// Undefined for rows of different groups (not measured in the same process, so their rounds do not line up).
export function paired(rows: Rows, f: string, a: Ref, b: Ref, net?: Ref): Summary | undefined {
  const ids = [a[0], b[0], ...(net === undefined ? [] : [net[0]])];
  if (!ids.every((id) => id === ids[0]) && !ids.every((id) => id.startsWith('flat:'))) return undefined;
  // The group's harness alone (its baseline row) tells the undisturbed blocks.
  const harness: Ref = net ?? [a[0].startsWith('flat:') ? 'flat:simple-10' : a[0], 'baseline'];
  const found = inprocRows(rows, a[0], f, a[1]).map((x) => x.process ?? 0).map((p) => {
    const series = (ref: Ref): readonly number[] => {
      const row = inprocRows(rows, ref[0], f, ref[1]).find((x) => (x.process ?? 0) === p);
      return row?.problem === undefined ? (row?.paired ?? []) : [];
    };
    return summarize(blockNetRatios(series(a), series(b), net === undefined ? series(a).map(() => 0) : series(net), series(harness)));
  }).filter((x) => x !== undefined);
  if (found.length === 0) return undefined;
  return {
    median: median(found.map((x) => x.median)),
    min: Math.min(...found.map((x) => x.min)),
    max: Math.max(...found.map((x) => x.max)),
    n: found.reduce((sum, x) => sum + x.n, 0),
  };
}

// Whether there is no net time to divide: the baseline costs as much as a side's whole answer (a bare app whose route
// answers the preflight), or 80 % or more of both sides' time (NestJS on Express, where the net ratio of one run and the
// next read 1.26× and 0.54× with the raw one at 0.96× and 0.93×): the layers' time is then a small difference of large ones.
function baselineSwamps(rows: Rows, f: string, caseId: string): boolean {
  const shares = (['ours', 'incumbent'] as const).map((side) => paired(rows, f, [caseId, 'baseline'], [caseId, side])?.median ?? 0);
  return shares.some((share) => share >= 1) || shares.every((share) => share >= 0.8);
}

// Why ours ÷ incumbent is raw for a case, undefined where it is net of the baseline: a preflight (its baseline runs the
// route, which a layer that answers the preflight never does: nothing to subtract), or a baseline that swamps both sides.
export function rawBecause(rows: Rows, f: string, caseId: string): 'preflight' | 'swamped' | undefined {
  if (CASES.find((c) => c.id === caseId)?.expect === 'preflight-allowed') return 'preflight';
  return baselineSwamps(rows, f, caseId) ? 'swamped' : undefined;
}

/** ours ÷ incumbent for a case: net of the baseline, raw where `rawBecause` says why. */
export function oursOverIncumbent(rows: Rows, f: string, caseId: string): number | undefined {
  const net: Ref | undefined = rawBecause(rows, f, caseId) === undefined ? [caseId, 'baseline'] : undefined;
  return paired(rows, f, [caseId, 'ours'], [caseId, 'incumbent'], net)?.median;
}

/** Side a ÷ side b for a case, raw time per request (paired): what the in-process targets are judged on. */
export function rawRatio(rows: Rows, f: string, caseId: string, a: Side, b: Side): number | undefined {
  return paired(rows, f, [caseId, a], [caseId, b])?.median;
}

export const oursOverFloor = (rows: Rows, f: string, caseId: string): number | undefined => rawRatio(rows, f, caseId, 'ours', 'floor');

// ns a new origin (a miss, 10,000-origin list) costs over a repeated one: (miss ÷ hit − 1) × hit in the flat group (interleaved).
export function cacheMissNs(r: Results, framework: string): number | undefined {
  const rows = r.inprocess?.rows;
  const hit = inprocNs(rows, 'flat:simple-10k', framework, 'ours');
  const missOverHit = paired(rows, framework, ['flat:simple-10k-rotating', 'ours'], ['flat:simple-10k', 'ours'])?.median;
  return hit === undefined || missOverHit === undefined ? undefined : (missOverHit - 1) * hit;
}

export function serverFrameworks(r: Results, part?: 'server' | 'direct'): ServerFramework[] {
  const present = new Set<string>([
    ...(part === 'direct' ? [] : (r.server?.rows ?? []).map((x) => x.framework)),
    ...(part === 'server' ? [] : (r.direct?.results ?? []).map((x) => x.framework)),
  ]);
  return SERVER_FRAMEWORKS.filter((f) => present.has(f));
}

/** The loopback ratio a ÷ b of a run's `metric` (throughput by default) per interleaved repetition: median and range. */
export function loopback(r: Results, f: ServerFramework, kind: Kind, a: Variant, b: Variant, metric: 'rps' | 'cpuUsPerRequest' = 'rps'): Summary | undefined {
  const [x, y] = [a, b].map((v) => r.server?.rows.find((row) => row.framework === f && row.kind === kind && row.variant === v));
  if (x === undefined || y === undefined || x.problem !== undefined || y.problem !== undefined) return undefined;
  const ratios = x.runs.slice(0, y.runs.length).map((run, i) => [run[metric], y.runs[i]![metric]] as const);
  return summarize(ratios.filter(([p, q]) => p !== undefined && q !== undefined && q > 0).map(([p, q]) => p! / q!));
}

/** The direct throughput ratio a ÷ b per round (b's time ÷ a's, same round), and that of the fastest rounds. */
export function direct(r: Results, f: ServerFramework, kind: Kind, a: Variant, b: Variant): (Summary & { readonly fastest: number }) | undefined {
  const rows = r.direct?.results.find((x) => x.framework === f)?.rows;
  const [x, y] = [a, b].map((v) => rows?.find((row) => row.kind === kind && row.variant === v));
  if (x === undefined || y === undefined || x.rounds.length === 0 || x.rounds.length !== y.rounds.length) return undefined;
  return { ...summarize(x.rounds.map((t, i) => y.rounds[i]! / t))!, fastest: min(y.rounds) / min(x.rounds) };
}
