/**
 * Builds docs/benchmarks.md and docs/benchmarks.svg (at the repository root) from the
 * latest results/*.json of each part. Ratios come first; absolute figures follow.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AllocRow } from './alloc.js';
import { CASES, COMMON, TEN_HEADERS } from './config.js';
import { FRAMEWORKS, INCUMBENT, OURS, type Framework, type Side } from './inprocess/drivers.js';
import type { InprocessRow } from './inprocess/run.js';
import type { Machine } from './machine.js';
import { SERVER_FRAMEWORKS, SERVER_INCUMBENT, SERVER_OURS, type ServerFramework, type Variant } from './server/apps.js';
import type { DirectResult, DirectRow } from './server/direct.js';
import type { Kind, ServerMeta, ServerRow, ServerRun } from './server/run.js';
import { blockNetRatios, max, median, min, summarize, type Summary } from './stats.js';
import { chart, logDomain, ratioLabel, type Panel } from './svg.js';

export const RESULTS_DIR = new URL('../results/', import.meta.url);
const DOCS_DIR = new URL('../../../docs/', import.meta.url);

export interface PartMeta {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly settings: Record<string, unknown>;
}

interface Results {
  inprocess?: { meta: PartMeta; rows: InprocessRow[] };
  alloc?: { meta: PartMeta; rows: AllocRow[] };
  direct?: { meta: PartMeta; results: DirectResult[] };
  server?: { meta: PartMeta & ServerMeta; rows: ServerRow[] };
}

function load(): Results {
  const read = <T>(name: string): T | undefined => {
    const url = new URL(`${name}.json`, RESULTS_DIR);
    return existsSync(url) ? (JSON.parse(readFileSync(url, 'utf8')) as T) : undefined;
  };
  const results: Results = {};
  const inprocess = read<Results['inprocess']>('inprocess');
  const alloc = read<Results['alloc']>('alloc');
  const server = read<Results['server']>('server');
  const direct = read<Results['direct']>('direct');
  if (direct !== undefined) results.direct = direct;
  if (inprocess !== undefined) results.inprocess = inprocess;
  if (alloc !== undefined) results.alloc = alloc;
  if (server !== undefined) results.server = server;
  return results;
}

// ---------------------------------------------------------------------------------------
// Formatting.

function ns(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value < 1000) return `${value.toFixed(0)} ns`;
  if (value < 1e6) return `${(value / 1000).toPrecision(3)} µs`;
  return `${(value / 1e6).toPrecision(3)} ms`;
}

function ratio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : ratioLabel(value);
}

function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const OK = '✅ met';
const NOT = '❌ not met';
const UNKNOWN = '⚪ not measured';

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? UNKNOWN : ok ? OK : NOT;
}

function metaLine(meta: PartMeta): string {
  const m = meta.machine;
  const settings = Object.entries(meta.settings).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  return `${meta.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpu} · ${m.cores} cores · Node ${m.node} · ${m.os} · load average ${m.load.toFixed(2)} at start · ${settings}${meta.quick ? ' · **smoke run**' : ''}`;
}

// ---------------------------------------------------------------------------------------
// Lookups.

function inproc(r: Results, caseId: string, framework: Framework, side: Side): InprocessRow | undefined {
  return r.inprocess?.rows.find((x) => x.caseId === caseId && x.framework === framework && x.side === side);
}

/**
 * The figure of a side: the fastest of its rounds (each round's figure is already a median
 * over many batches). On a shared 2-core VM, noise only ever adds time, and a burst can
 * cover whole rounds of one side and not the other; the fastest round is the least
 * disturbed measurement of the same deterministic code (what Python's `timeit` recommends).
 * Both sides get the same treatment; the median over rounds is reported next to it.
 */
function inprocNs(r: Results, caseId: string, framework: Framework, side: Side): number | undefined {
  const row = inproc(r, caseId, framework, side);
  return row?.ns === undefined ? undefined : min(row.rounds);
}

/** The median over rounds, for comparison with the figure above. */
function inprocMedianNs(r: Results, caseId: string, framework: Framework, side: Side): number | undefined {
  return inproc(r, caseId, framework, side)?.ns ?? undefined;
}

/** Rows measured in the same child process (so their paired rounds line up). */
function sameGroup(ids: readonly string[]): boolean {
  return ids.every((id) => id === ids[0]) || ids.every((id) => id.startsWith('flat:'));
}

/**
 * A ratio net of the baseline, (a − baseline) ÷ (b − baseline), from the paired phase, where
 * the sides took turns batch by batch: one ratio per block of rounds (`blockNetRatios`),
 * median and range over blocks. Undefined without paired data (older results) or for rows
 * of different processes.
 */
function pairedNetRatio(r: Results, f: Framework, a: [string, Side], b: [string, Side], baseline: [string, Side]): Paired | undefined {
  if (!sameGroup([a[0], b[0], baseline[0]])) return undefined;
  const [x, y, base] = [inproc(r, a[0], f, a[1]), inproc(r, b[0], f, b[1]), inproc(r, baseline[0], f, baseline[1])].map((row) =>
    row?.problem === undefined ? (row?.paired ?? []) : [],
  ) as [readonly number[], readonly number[], readonly number[]];
  return summarize(blockNetRatios(x, y, base));
}

/** The in-process ratio a report shows first: the paired one, or the fastest rounds' when there is none. */
function headlineNetRatio(r: Results, f: Framework, a: [string, Side], b: [string, Side], baseline: [string, Side]): number | undefined {
  return pairedNetRatio(r, f, a, b, baseline)?.median ?? netRatio(inprocNs(r, a[0], f, a[1]), inprocNs(r, b[0], f, b[1]), inprocNs(r, baseline[0], f, baseline[1]));
}

function div(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** (a − baseline) ÷ (b − baseline): the layers' own time, without the harness and stand-in application. */
function netRatio(a: number | undefined, b: number | undefined, baseline: number | undefined): number | undefined {
  if (a === undefined || b === undefined || baseline === undefined) return undefined;
  return b - baseline <= 0 ? undefined : Math.max(a - baseline, 0) / (b - baseline);
}

function net(value: number | undefined, baseline: number | undefined): string {
  return value === undefined || baseline === undefined ? '–' : ns(Math.max(value - baseline, 0));
}

function serverRow(r: Results, framework: ServerFramework, kind: Kind, variant: Variant): ServerRow | undefined {
  return r.server?.rows.find((x) => x.framework === framework && x.kind === kind && x.variant === variant);
}

/** Paired ratios (taken within one repetition, round or block), summarized. */
type Paired = Summary;

/** Ratios of interleaved runs taken in the same repetition, then their median and range. */
function paired(a: ServerRow | undefined, b: ServerRow | undefined, metric: (run: ServerRun) => number | undefined): Paired | undefined {
  if (a === undefined || b === undefined || a.problem !== undefined || b.problem !== undefined) return undefined;
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.runs.length, b.runs.length); i++) {
    const x = metric(a.runs[i]!);
    const y = metric(b.runs[i]!);
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return summarize(ratios);
}

/** A paired ratio as text: the median in bold, then the range (three decimals where a target is judged on it). */
function pairedText(p: Paired | undefined, precise = false): string {
  if (p === undefined) return '–';
  const show = (v: number): string => (precise ? `${v.toFixed(3)}×` : ratio(v));
  return p.n > 1 ? `**${show(p.median)}** (${show(p.min)}–${show(p.max)})` : `**${show(p.median)}**`;
}

function spread(values: readonly number[], format: (v: number) => string): string {
  if (values.length === 0) return '–';
  return values.length > 1 ? `${format(median(values))} (${format(min(values))}–${format(max(values))})` : format(values[0]!);
}

const rps = (run: ServerRun): number => run.rps;
const cpu = (run: ServerRun): number | undefined => run.cpuUsPerRequest;

// ---------------------------------------------------------------------------------------
// Targets.

interface TargetLine {
  readonly target: string;
  readonly scope: string;
  readonly result: string;
  readonly ok: boolean | undefined;
}

function targets(r: Results): TargetLine[] {
  const lines: TargetLine[] = [];
  for (const f of FRAMEWORKS) {
    const base = inprocNs(r, 'simple-10', f, 'baseline');
    const inc = inprocNs(r, 'simple-10', f, 'incumbent');
    const ours = inprocNs(r, 'simple-10', f, 'ours');
    const q = netRatio(ours, inc, base);
    const qMedian = netRatio(inprocMedianNs(r, 'simple-10', f, 'ours'), inprocMedianNs(r, 'simple-10', f, 'incumbent'), inprocMedianNs(r, 'simple-10', f, 'baseline'));
    const floor = inprocNs(r, 'simple-10', f, 'floor');
    const p = pairedNetRatio(r, f, ['simple-10', 'ours'], ['simple-10', 'incumbent'], ['simple-10', 'baseline']);
    const pFloor = pairedNetRatio(r, f, ['simple-10', 'floor'], ['simple-10', 'incumbent'], ['simple-10', 'baseline']);
    const fq = pFloor?.median ?? netRatio(floor, inc, base);
    const floorText =
      fq === undefined ? ''
      : `; floor ${pFloor === undefined ? ratio(fq) : `${pairedText(pFloor)} paired`} (only writing the headers of the answer${fq > 1 / 3 ? ' — already above 1/3, so no correct layer can meet this target here' : ''})`;
    const tinybenchText = `fastest rounds ${ratio(q)} (${net(ours, base)} vs ${net(inc, base)}), medians over rounds ${ratio(qMedian)}; raw ${ratio(div(ours, inc))} (${ns(ours)} vs ${ns(inc)})`;
    const headline = p?.median ?? q;
    lines.push({
      target: 'In-process, simple allowed request, 10 origins: ours ≤ 1/3 of the incumbent\'s time',
      scope: `${f} (vs ${INCUMBENT[f]})`,
      result: `${p === undefined ? `${ratio(q)} net of the baseline` : `${pairedText(p, true)} paired, net of the baseline; tinybench`} ${tinybenchText}${floorText}`,
      ok: headline === undefined ? undefined : headline <= 1 / 3,
    });
  }
  for (const f of FRAMEWORKS) {
    // Interleaved in one process when the flat group ran; otherwise across separate groups.
    const interleaved = inprocNs(r, 'flat:simple-10', f, 'ours') !== undefined;
    const id = (caseId: string): string => (interleaved ? `flat:${caseId}` : caseId);
    const base = inprocNs(r, id('simple-10'), f, 'baseline');
    const ten = inprocNs(r, id('simple-10'), f, 'ours');
    const big = headlineNetRatio(r, f, [id('simple-10k'), 'ours'], [id('simple-10'), 'ours'], [id('simple-10'), 'baseline']);
    const patterns = headlineNetRatio(r, f, [id('patterns-1k'), 'ours'], [id('simple-10'), 'ours'], [id('simple-10'), 'baseline']);
    const rotating = netRatio(inprocNs(r, 'simple-10k-rotating', f, 'ours'), inprocNs(r, 'simple-10', f, 'ours'), inprocNs(r, 'simple-10', f, 'baseline'));
    lines.push({
      target: 'Flat with list size: 10,000 origins and 1,000 patterns ≤ 1.25× the 10-origin case',
      scope: f,
      result:
        `net of the baseline${interleaved ? `, the three policies interleaved in one process${pairedNetRatio(r, f, [id('simple-10k'), 'ours'], [id('simple-10'), 'ours'], [id('simple-10'), 'baseline']) === undefined ? '' : ' (paired, batch by batch)'}` : ''}: 10,000 origins ${ratio(big)} (${net(inprocNs(r, id('simple-10k'), f, 'ours'), base)} vs ${net(ten, base)}), 1,000 patterns ${ratio(patterns)}; ` +
        `for information, a different origin every request (all cache misses, separate groups) ${ratio(rotating)}`,
      ok: big === undefined || patterns === undefined ? undefined : big <= 1.25 && patterns <= 1.25,
    });
  }
  for (const f of r.server === undefined ? [] : SERVER_FRAMEWORKS) {
    const p = paired(serverRow(r, f, 'simple', 'ours'), serverRow(r, f, 'simple', 'bare'), rps);
    const floor = paired(serverRow(r, f, 'simple', 'floor'), serverRow(r, f, 'simple', 'bare'), rps);
    const overFloor = paired(serverRow(r, f, 'simple', 'ours'), serverRow(r, f, 'simple', 'floor'), rps);
    lines.push({
      target: 'Server throughput with ours ≥ 0.97× bare, simple requests',
      scope: f,
      result:
        `${pairedText(p)} of bare` +
        (floor === undefined ? '' : `; floor (bare + the three headers set by hand, no CORS logic) ${pairedText(floor)} of bare; ours ÷ floor ${pairedText(overFloor)}`),
      ok: p === undefined ? undefined : p.median >= 0.97,
    });
  }
  for (const f of r.direct === undefined ? [] : SERVER_FRAMEWORKS) {
    const p = directPaired(directRow(r, f, 'simple', 'ours'), directRow(r, f, 'simple', 'bare'));
    const floor = directPaired(directRow(r, f, 'simple', 'floor'), directRow(r, f, 'simple', 'bare'));
    const overFloor = directPaired(directRow(r, f, 'simple', 'ours'), directRow(r, f, 'simple', 'floor'));
    if (p === undefined) continue;
    lines.push({
      target: 'Server throughput with ours ≥ 0.97× bare, simple requests — measured in-process on the real server ("direct")',
      scope: f,
      result: `${directText(p)} of bare; floor ${directText(floor)} of bare; ours ÷ floor ${directText(overFloor)}`,
      ok: p.median >= 0.97,
    });
  }
  for (const f of r.direct === undefined ? [] : SERVER_FRAMEWORKS) {
    const p = directPaired(directRow(r, f, 'preflight', 'ours'), directRow(r, f, 'preflight', 'incumbent'));
    if (p === undefined) continue;
    lines.push({
      target: 'Preflights answered at least as fast as the incumbent — measured in-process on the real server ("direct")',
      scope: `${f} (vs ${SERVER_INCUMBENT[f]})`,
      result: `${directText(p)} of the incumbent`,
      ok: p.median >= 1,
    });
  }
  for (const f of r.server === undefined ? [] : SERVER_FRAMEWORKS) {
    const p = paired(serverRow(r, f, 'preflight', 'ours'), serverRow(r, f, 'preflight', 'incumbent'), rps);
    lines.push({
      target: 'Preflights answered at least as fast as the incumbent (server throughput)',
      scope: `${f} (vs ${SERVER_INCUMBENT[f]})`,
      result: `${pairedText(p)} of the incumbent`,
      ok: p === undefined ? undefined : p.median >= 1,
    });
  }
  for (const f of FRAMEWORKS) {
    const q = headlineNetRatio(r, f, ['preflight-10', 'ours'], ['preflight-10', 'incumbent'], ['preflight-10', 'baseline']);
    const q10 = headlineNetRatio(r, f, ['preflight-headers-10', 'ours'], ['preflight-headers-10', 'incumbent'], ['preflight-headers-10', 'baseline']);
    lines.push({
      target: 'Preflights answered at least as fast as the incumbent (in-process time net of the baseline, ≤ 1×)',
      scope: f,
      result: `preflight ${ratio(q)}, with 10 requested headers ${ratio(q10)}`,
      ok: q === undefined || q10 === undefined ? undefined : q <= 1 && q10 <= 1,
    });
  }
  for (const f of FRAMEWORKS) {
    const parts: string[] = [];
    let ok: boolean | undefined;
    for (const caseId of ['simple-10', 'preflight-10']) {
      const get = (side: Side): number | undefined => r.alloc?.rows.find((x) => x.caseId === caseId && x.framework === f && x.side === side)?.bytes ?? undefined;
      const base = get('baseline');
      const inc = get('incumbent');
      const ours = get('ours');
      if (base === undefined || inc === undefined || ours === undefined) continue;
      parts.push(`${caseId}: ours +${int(ours - base)} B, ${INCUMBENT[f]} +${int(inc - base)} B`);
      ok = (ok ?? true) && ours - base <= inc - base;
    }
    lines.push({
      target: 'No allocation-heavy per-request work: heap allocated per request beyond the no-CORS baseline, ours ≤ the incumbent\'s',
      scope: f,
      result: parts.length > 0 ? parts.join('; ') : '–',
      ok,
    });
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// Sections.

function inprocessSections(r: Results): string[] {
  const out: string[] = [];
  if (r.inprocess === undefined) return ['## In-process', '', 'Not run yet: `pnpm bench --only inprocess`.', ''];
  out.push('## In-process: time per request, ours ÷ incumbent', '');
  out.push(`_${metaLine(r.inprocess.meta)}_`, '');
  out.push(
    'Below 1× ours is faster. Each cell: **the paired ratio net of the baseline** ((ours − baseline) ÷ (incumbent − baseline), the layers\' own time) with its range over blocks, then the same ratio from the tinybench rounds, then the raw ratio and the raw times per request (ours / incumbent). ' +
      '**Paired**: after the tinybench rounds, the sides took turns batch by batch (128 requests each, rotating order) for a few seconds; the rounds are cut into 10 blocks, each side\'s figure in a block is the lower quartile of its batches there, and the ratio is taken per block (median, and range over blocks). ' +
      'Batches of both sides a fraction of a millisecond apart see the same machine; tinybench times each side for its whole task in a row, and on this VM a side can spend every round in a slow stretch (noise only adds time). ' +
      'The tinybench figure is each side\'s fastest round, each round\'s figure being the median over its batches; the medians over rounds are in the absolute tables below. ' +
      'The baseline is the same run with a layer that does nothing: the harness, the stand-in request/response objects and the stand-in application, which both sides pay.',
    '',
  );
  out.push(`| Case | ${FRAMEWORKS.map((f) => `${f}: ÷ ${INCUMBENT[f] ?? '—'}`).join(' | ')} |`, `|---|${FRAMEWORKS.map(() => '---').join('|')}|`);
  for (const c of CASES) {
    const cells = FRAMEWORKS.map((f) => {
      const inc = inprocNs(r, c.id, f, 'incumbent');
      const ours = inprocNs(r, c.id, f, 'ours');
      const problem = inproc(r, c.id, f, 'ours')?.problem ?? inproc(r, c.id, f, 'incumbent')?.problem;
      if (problem !== undefined) return `⚠️ ${problem}`;
      const p = pairedNetRatio(r, f, [c.id, 'ours'], [c.id, 'incumbent'], [c.id, 'baseline']);
      const fastest = ratio(netRatio(ours, inc, inprocNs(r, c.id, f, 'baseline')));
      return `${p === undefined ? `**${fastest}**` : `${pairedText(p)} · fastest rounds ${fastest}`} · raw ${ratio(div(ours, inc))} (${ns(ours)} / ${ns(inc)})`;
    });
    out.push(`| ${c.label} | ${cells.join(' | ')} |`);
  }
  out.push('');
  const notes = CASES.filter((c) => c.note !== undefined).map((c) => `- _${c.label}_: ${c.note}.`);
  if (notes.length > 0) out.push(...notes, '');

  out.push('### In-process: absolute figures', '');
  out.push(
    'The fastest round (each round\'s figure is the median time per request over its batches); in brackets the median over rounds and the slowest round. ' +
      '_core alone_ is `compileCors` + `decide` + `applyDecision` without the adapter (node column); ' +
      '_floor_ is the least any correct layer can cost here: it knows the answer in advance and only writes its headers (each header set, Vary appended, preflights ended), with no decision, no validation and no care for a route that replaces Vary; ' +
      '_baseline_ is a layer that does nothing, over the same objects: the cost of the harness and of the stand-in application, included in every other figure.',
    '',
  );
  for (const f of FRAMEWORKS) {
    const sides: Side[] = f === 'node' ? ['incumbent', 'ours', 'core', 'floor', 'baseline'] : ['incumbent', 'ours', 'floor', 'baseline'];
    const names: Record<Side, string> = { incumbent: INCUMBENT[f] ?? '—', ours: OURS[f], core: 'core alone', floor: 'floor', baseline: 'baseline' };
    out.push(`**${f}**`, '', `| Case | ${sides.map((s) => names[s]).join(' | ')} |`, `|---|${sides.map(() => '---').join('|')}|`);
    for (const c of CASES) {
      const cells = sides.map((s) => {
        const row = inproc(r, c.id, f, s);
        if (row === undefined) return '–';
        if (row.ns === undefined) return `⚠️ ${row.problem ?? 'not measured'}`;
        return row.rounds.length > 1 ? `${ns(min(row.rounds))} (median ${ns(row.ns)}, slowest ${ns(max(row.rounds))})` : ns(row.ns);
      });
      out.push(`| ${c.label} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out;
}

function allocSection(r: Results): string[] {
  if (r.alloc === undefined) return ['## Heap allocated per request', '', 'Not run yet: `pnpm bench --only alloc`.', ''];
  const out = ['## Heap allocated per request', '', `_${metaLine(r.alloc.meta)}_`, ''];
  out.push(
    'Bytes of JavaScript heap allocated per request (`heapUsed` difference over batches of requests during which no GC ran, ' +
      'median over batches). Every figure includes the baseline (the stand-in request/response objects\' own header storage and the stand-in application); ' +
      'the difference to the baseline is the layer\'s own allocation. The stub response stores headers the way Node does (`[name, value]` per header and a lower-cased copy of the name), so each header a layer sets costs ≈ 100 B whoever sets it.',
    '',
  );
  const caseIds = [...new Set(r.alloc.rows.map((x) => x.caseId))];
  out.push('| Case | Framework | incumbent | ours | ours − baseline | incumbent − baseline | baseline |', '|---|---|---|---|---|---|---|');
  for (const caseId of caseIds) {
    const label = CASES.find((c) => c.id === caseId)?.label ?? caseId;
    for (const f of FRAMEWORKS) {
      const get = (side: Side): number | undefined => r.alloc!.rows.find((x) => x.caseId === caseId && x.framework === f && x.side === side)?.bytes ?? undefined;
      const b = (v: number | undefined): string => (v === undefined ? '–' : `${int(v)} B`);
      const base = get('baseline');
      const inc = get('incumbent');
      const ours = get('ours');
      out.push(
        `| ${label} | ${f} | ${b(inc)} | ${b(ours)} | ${b(ours === undefined || base === undefined ? undefined : ours - base)} | ${b(inc === undefined || base === undefined ? undefined : inc - base)} | ${b(base)} |`,
      );
    }
  }
  const core = r.alloc.rows.filter((x) => x.side === 'core' && x.bytes !== undefined);
  if (core.length > 0) {
    out.push('', `Core alone (node, no adapter): ${core.map((x) => `${x.caseId} ${int(x.bytes!)} B`).join(', ')}.`);
  }
  out.push('');
  return out;
}

// ---------------------------------------------------------------------------------------
// The direct part: real servers driven in-process (ns per request, one figure per round).

/** How a server variant is named in the tables. */
function variantName(framework: ServerFramework, variant: Variant): string {
  if (variant === 'bare') return 'bare';
  if (variant === 'floor') return 'floor (headers by hand)';
  return variant === 'incumbent' ? SERVER_INCUMBENT[framework] : `ours: ${SERVER_OURS[framework]}`;
}

function directRow(r: Results, framework: ServerFramework, kind: Kind, variant: Variant): DirectRow | undefined {
  return r.direct?.results.find((x) => x.framework === framework)?.rows.find((x) => x.kind === kind && x.variant === variant);
}

/** Throughput ratio a ÷ b per round (b's time ÷ a's time, same round), and the ratio of the fastest rounds. */
function directPaired(a: DirectRow | undefined, b: DirectRow | undefined): (Paired & { fastest: number }) | undefined {
  if (a === undefined || b === undefined || a.rounds.length === 0 || a.rounds.length !== b.rounds.length) return undefined;
  const ratios = a.rounds.map((t, i) => b.rounds[i]! / t);
  return { ...summarize(ratios)!, fastest: min(b.rounds) / min(a.rounds) };
}

function directText(p: (Paired & { fastest: number }) | undefined): string {
  return p === undefined ? '–' : `${pairedText(p)}; fastest rounds ${ratio(p.fastest)}`;
}

function directSection(r: Results): string[] {
  if (r.direct === undefined) return ['## Server cost, measured in-process', '', 'Not run yet: `pnpm bench --only direct`.', ''];
  const out = ['## Server cost per request, measured in-process ("direct")', '', `_${metaLine(r.direct.meta)}_`, ''];
  out.push(
    'The same server applications as the autocannon part (real Express 5, Fastify 5, Koa, NestJS 11, node:http), driven in one process through their own `request` listener ' +
      'with real `IncomingMessage`/`ServerResponse` objects over an in-memory socket, 50 requests in flight. Only the kernel loopback and the parsing of the request are left out; ' +
      'the framework, the CORS layer and the serialization of the response head are all there. All variants of a framework share one process and are measured round by round in a rotating order, ' +
      'so a slow stretch of the machine hits a whole round. Ratios are throughput ratios (the other side\'s time ÷ ours) per round: median, range over rounds, and the ratio of each side\'s fastest round.',
    '',
    '| Framework | simple: ours ÷ bare | simple: floor ÷ bare | simple: ours ÷ floor | simple: ours ÷ incumbent | preflight: ours ÷ incumbent |',
    '|---|---|---|---|---|---|',
  );
  for (const f of SERVER_FRAMEWORKS) {
    const s = (v: Variant): DirectRow | undefined => directRow(r, f, 'simple', v);
    if (s('ours') === undefined) continue;
    out.push(
      `| ${f} | ${directText(directPaired(s('ours'), s('bare')))} | ${directText(directPaired(s('floor'), s('bare')))} | ${directText(directPaired(s('ours'), s('floor')))} | ${directText(directPaired(s('ours'), s('incumbent')))} | ${directText(directPaired(directRow(r, f, 'preflight', 'ours'), directRow(r, f, 'preflight', 'incumbent')))} |`,
    );
  }
  out.push('', '| Framework | Request | Variant | µs per request, median (fastest round – slowest round) |', '|---|---|---|---|');
  for (const result of r.direct.results) {
    for (const row of result.rows) {
      const name = variantName(row.framework, row.variant);
      out.push(`| ${row.framework} | ${row.kind} | ${name} | ${(median(row.rounds) / 1000).toFixed(2)} (${(min(row.rounds) / 1000).toFixed(2)} – ${(max(row.rounds) / 1000).toFixed(2)}) |`);
    }
    if (result.problems.length > 0) out.push(`| ${result.framework} | | ⚠️ | ${result.problems.join('; ')} |`);
  }
  out.push('');
  return out;
}

/** What the floor rows say about the "≥ 0.97× bare" target, in one paragraph. */
function floorNote(r: Results): string[] {
  const parts: string[] = [];
  for (const f of SERVER_FRAMEWORKS) {
    const direct = directPaired(directRow(r, f, 'simple', 'floor'), directRow(r, f, 'simple', 'bare'));
    const server = paired(serverRow(r, f, 'simple', 'floor'), serverRow(r, f, 'simple', 'bare'), rps);
    const oursOverFloor = directPaired(directRow(r, f, 'simple', 'ours'), directRow(r, f, 'simple', 'floor'));
    if (direct === undefined && server === undefined) continue;
    parts.push(
      `${f}: floor ÷ bare ${direct === undefined ? '–' : ratio(direct.median)} direct, ${server === undefined ? '–' : ratio(server.median)} over loopback` +
        (oursOverFloor === undefined ? '' : `; ours ÷ floor ${ratio(oursOverFloor.median)} direct (fastest rounds ${ratio(oursOverFloor.fastest)})`),
    );
  }
  if (parts.length === 0) return [];
  return [
    '**Reading the server targets.** "≥ 0.97× bare" compares a response with three more headers against one without. The *floor* is bare plus those three headers set by hand, ' +
      'with no CORS logic at all: whatever it loses against bare, no correct CORS layer can win back. Medians: ' +
      `${parts.join(' · ')}. Where the floor itself is below 0.97×, the target is out of reach for any layer that sends the headers; ours ÷ floor is what our logic costs on top.`,
    '',
  ];
}

function serverSections(r: Results): string[] {
  if (r.server === undefined) return ['## Server throughput', '', 'Not run yet: `pnpm bench --only server`.', ''];
  const meta = r.server.meta;
  const out = ['## Server throughput (autocannon over 127.0.0.1)', '', `_${metaLine(meta)} · ${meta.pinned ? 'autocannon on core 0, servers on core 1 (taskset)' : 'not pinned'}_`, ''];
  out.push(
    'Ratios of runs taken in the same interleaved repetition; median, and in brackets the range over repetitions. ' +
      'Throughput ratios above 1× mean ours serves more requests per second; the CPU ratio is the server\'s CPU time per request (below 1× ours costs less).',
    '',
  );
  out.push(
    '| Framework | simple: ours ÷ bare | simple: floor ÷ bare | simple: ours ÷ floor | simple: incumbent ÷ bare | simple: ours ÷ incumbent | preflight: ours ÷ incumbent | CPU per simple request: ours ÷ bare | CPU per preflight: ours ÷ incumbent |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const f of SERVER_FRAMEWORKS) {
    const s = (v: Variant): ServerRow | undefined => serverRow(r, f, 'simple', v);
    const p = (v: Variant): ServerRow | undefined => serverRow(r, f, 'preflight', v);
    if (s('ours') === undefined) continue;
    out.push(
      `| ${f} | ${pairedText(paired(s('ours'), s('bare'), rps))} | ${pairedText(paired(s('floor'), s('bare'), rps))} | ${pairedText(paired(s('ours'), s('floor'), rps))} | ${pairedText(paired(s('incumbent'), s('bare'), rps))} | ${pairedText(paired(s('ours'), s('incumbent'), rps))} | ${pairedText(paired(p('ours'), p('incumbent'), rps))} | ${pairedText(paired(s('ours'), s('bare'), cpu))} | ${pairedText(paired(p('ours'), p('incumbent'), cpu))} |`,
    );
  }
  out.push('', '### Server: absolute figures', '');
  out.push('| Framework | Request | Variant | req/s, median (min–max) | server CPU µs/request | latency p50 / p99 (ms) | server CPU busy | problems |', '|---|---|---|---|---|---|---|---|');
  let unsaturated = false;
  for (const row of r.server.rows) {
    const name = variantName(row.framework, row.variant);
    const busy = row.runs.map((x) => x.serverCpu).filter((x): x is number => x !== undefined);
    if (busy.length > 0 && median(busy) < 0.9) unsaturated = true;
    const non2xx = row.runs.reduce((a, x) => a + x.non2xx, 0);
    const errors = row.runs.reduce((a, x) => a + x.errors, 0);
    const problems = [row.problem, non2xx > 0 ? `${int(non2xx)} non-2xx` : undefined, errors > 0 ? `${int(errors)} errors` : undefined].filter((x) => x !== undefined);
    out.push(
      `| ${row.framework} | ${row.kind} | ${name} | ${spread(row.runs.map(rps), int)} | ${spread(row.runs.map(cpu).filter((x): x is number => x !== undefined), (v) => v.toFixed(1))} | ${row.runs.length > 0 ? `${median(row.runs.map((x) => x.p50)).toFixed(1)} / ${median(row.runs.map((x) => x.p99)).toFixed(1)}` : '–'} | ${busy.length > 0 ? `${(median(busy) * 100).toFixed(0)} %` : '–'} | ${problems.length > 0 ? `⚠️ ${problems.join(', ')}` : ''} |`,
    );
  }
  out.push('');
  if (unsaturated) {
    out.push(
      '> ⚠️ In some runs the server used less than 90 % of its core: the load generator (or the machine) was the bottleneck there, so throughput understates the difference between variants. The CPU-per-request ratios are the better guide for those rows.',
      '',
    );
  }
  return out;
}

function methodSection(): string[] {
  return [
    '## How this was measured',
    '',
    '- **In-process** ([`src/inprocess`](../apps/bench/src/inprocess)): [tinybench](https://github.com/tinylibs/tinybench) — it was already a dependency of the workspace, runs plain functions with `beforeEach` hooks ' +
      '(used to build fresh request/response objects outside the timed region) and exposes every sample. One tinybench iteration handles 128 requests, so the timer\'s own cost is spread thin; ' +
      'a figure is the median over rounds of each round\'s median. Rounds alternate which side runs first. ' +
      'Then a **paired** phase (our own loop, `--paired-time`, 3 s per group by default, 12 to 600 rounds): the sides take turns batch by batch, each batch timed with `performance.now()`; the ratios in the tables and targets come from it (see the in-process section). ' +
      'tinybench runs one task at a time, so it cannot interleave sides at that grain; its figures stay in the absolute tables.',
    '- Every side of a framework gets **the same objects**: a request stub (method, url, a fresh `headers` object) and a response stub that stores headers like Node\'s `ServerResponse` and ends through `writeHead` like Node (so a layer that wraps `writeHead` pays for it). ' +
      'Node/Express: the `(req, res, next)` middleware; Fastify: the hooks the plugin registers, captured from a stand-in instance and run in Fastify\'s order over a minimal Request/Reply (reply headers, `code`, `send`, onSend hooks); ' +
      'Koa: the middleware over a real Koa context (`app.createContext`) on the stubs. The "application" sets a small JSON body and ends the response; answered preflights never reach it.',
    '- Before timing, each side\'s answer is checked (allowed: `Access-Control-Allow-Origin` equals the origin and the app ran; refused/no Origin: no ACAO; preflight: ended with 2xx and ACAO/ACAM without running the app). A side that fails is reported, not timed.',
    `- Same settings on both sides: \`credentials: true\`, methods \`${COMMON.methods.join(',')}\`, \`maxAge: ${COMMON.maxAge}\`, requested headers reflected (no \`allowedHeaders\`). ` +
      'The incumbents get their fastest form: methods as a string (`cors` and `@fastify/cors` join arrays per request). ' +
      '`@koa/cors` has no origin-list option, so its origin is the usual function of the context with `Array.prototype.includes` (a `Set` would make it flat too). ' +
      `Allowed requests use the last origin of the list (the worst case for a linear scan). The 10 requested headers: \`${TEN_HEADERS}\`.`,
    '- Preflight patterns `https://*.tenantN.example.com` are given to the incumbents as the equivalent anchored RegExps `^https:\\/\\/(?:[a-z0-9-]+\\.)+tenantN\\.example\\.com$` (what `cors` users write).',
    '- **Preflight\'s decision cache**: the core caches whole decisions per origin (and per preflight shape), 1,024 entries each. Repeated origins — real traffic, and most cases here — hit it; ' +
      'the "a different origin each request" case cycles through 10,000 origins so that every request misses, and the async-predicate case can never be cached. Read those two rows as the uncached cost.',
    '- **Allocations** (`src/alloc.ts`): a child process with `--expose-gc --min-semi-space-size=64 --max-semi-space-size=64`; `process.memoryUsage().heapUsed` before and after batches of 10,000 requests ' +
      '(a batch during which a GC ran, seen by a `gc` PerformanceObserver, is discarded), up to 1,000,000 requests per side and case.',
    '- **Direct** (`src/server/direct.ts`): the server applications below, all variants of a framework in one process, driven through their `request` listener with real `IncomingMessage`/`ServerResponse` objects over an in-memory socket (50 in flight); ' +
      'rounds of 20 batches of 50 requests per variant, in a rotating order; ratios per round (paired), median and range, and the ratio of the fastest rounds.',
    '- **Servers** (`src/server`): each framework bare, with its incumbent and with ours, as child processes pinned to core 1 (`taskset -c 1`) while autocannon runs in the parent pinned to core 0; ' +
      `the three servers of a framework run side by side and every repetition runs each of them once in a rotating order (A/B interleaving), after a warm-up. ` +
      'Server CPU time per request comes from `/proc/<pid>/stat`. Before measuring, a simple request and a preflight check each server\'s answer. Bare frameworks do not answer preflights, so preflights compare ours with the incumbent only. ' +
      'NestJS: `app.enableCors(options)` (which is `cors` on Express and `@fastify/cors` on Fastify) against `CorsModule.forRoot(options)` (which runs in the request hook of Nest\'s HTTP adapter).',
    `- Run it: \`pnpm bench\` at the repository root (see [apps/bench/README.md](../apps/bench/README.md)).`,
    '',
  ];
}

// ---------------------------------------------------------------------------------------
// Chart.

const FRAMEWORK_COLORS: Record<Framework, string> = { node: '#3c873a', fastify: '#2b6cb0', koa: '#c05621', fetch: '#6b46c1', hono: '#d53f8c', 'nest-express': '#e0234e', 'nest-fastify': '#9b2c2c' };
const CHART_CASES = CASES.map((c) => c.id);

function chartSvg(r: Results, smoke: boolean): string {
  const panels: Panel[] = [];
  if (r.inprocess !== undefined) {
    const values: number[] = [];
    const groups = CHART_CASES.map((id) => {
      const c = CASES.find((x) => x.id === id)!;
      return {
        label: c.short,
        bars: FRAMEWORKS.map((f) => {
          const v = headlineNetRatio(r, f, [id, 'ours'], [id, 'incumbent'], [id, 'baseline']);
          if (v !== undefined) values.push(v);
          return { value: v, color: FRAMEWORK_COLORS[f] };
        }),
      };
    });
    panels.push({
      title: 'In-process: the layers\' own time per request, ours ÷ incumbent (log scale)',
      subtitle: 'Net of the no-op baseline, paired batch by batch. Bars left of 1× = ours faster. Dashed line: the 1/3 target for "simple, 10 origins".',
      groups,
      scale: 'log',
      domain: logDomain(values),
      references: [
        { value: 1, label: '1× (parity)' },
        { value: 1 / 3, label: '1/3' },
      ],
      legend: FRAMEWORKS.map((f) => ({ label: `${f}: ${OURS[f]} ÷ ${INCUMBENT[f]}`, color: FRAMEWORK_COLORS[f] })),
    });
  }
  if (r.server !== undefined) {
    const serverValues: number[] = [];
    const value = (p: Paired | undefined): number | undefined => {
      if (p !== undefined) serverValues.push(p.median);
      return p?.median;
    };
    const groups = SERVER_FRAMEWORKS.filter((f) => serverRow(r, f, 'simple', 'ours') !== undefined).map((f) => ({
      label: f,
      bars: [
        { value: value(paired(serverRow(r, f, 'simple', 'ours'), serverRow(r, f, 'simple', 'bare'), rps)), color: '#2b6cb0' },
        { value: value(paired(serverRow(r, f, 'simple', 'incumbent'), serverRow(r, f, 'simple', 'bare'), rps)), color: '#a0aec0' },
        { value: value(paired(serverRow(r, f, 'preflight', 'ours'), serverRow(r, f, 'preflight', 'incumbent'), rps)), color: '#c05621' },
      ],
    }));
    panels.push({
      title: 'Server throughput ratios (requests/s, median of interleaved repetitions)',
      subtitle: 'Right of 1× = more requests per second. Dashed line: the 0.97× target for simple requests (ours ÷ bare).',
      groups,
      scale: 'linear',
      // ±30 % around parity, widened (in steps of 0.1) when a ratio falls outside.
      domain: [Math.min(0.7, Math.floor(Math.min(...serverValues) * 10) / 10), Math.max(1.3, Math.ceil(Math.max(...serverValues) * 10) / 10)],
      references: [
        { value: 1, label: '1×' },
        { value: 0.97, label: '0.97' },
      ],
      legend: [
        { label: 'simple: ours ÷ bare', color: '#2b6cb0' },
        { label: 'simple: incumbent ÷ bare', color: '#a0aec0' },
        { label: 'preflight: ours ÷ incumbent', color: '#c05621' },
      ],
    });
  }
  const m = (r.inprocess ?? r.server ?? r.alloc)?.meta.machine;
  const date = (r.inprocess ?? r.server ?? r.alloc)?.meta.date.slice(0, 10) ?? '';
  return chart(panels, {
    ...(smoke ? { banner: 'SMOKE RUN — NOT REAL FIGURES (tiny durations on a busy machine)' } : {}),
    footer: m === undefined ? '' : `${m.cpu} · ${m.cores} cores · Node ${m.node} · ${date} · Preflight benchmarks (apps/bench)`,
  });
}

// ---------------------------------------------------------------------------------------

export function markdown(r: Results): string {
  const smoke = [r.inprocess, r.alloc, r.direct, r.server].some((p) => p?.meta.quick === true);
  const out: string[] = ['# Benchmarks', ''];
  if (smoke) {
    out.push(
      '> [!WARNING]',
      '> **SMOKE RUN — these are not real figures.** At least one part was produced by `pnpm bench --quick` (tiny durations, one repetition, often on a busy machine) only to prove that the scripts work. Run `pnpm bench` on an idle machine for the real measurement.',
      '',
    );
  }
  out.push(
    'Preflight against what users run today — [`cors`](https://github.com/expressjs/cors) (node:http, Express, NestJS `enableCors()` on Express), ' +
      '[`@fastify/cors`](https://github.com/fastify/fastify-cors) (Fastify, NestJS on Fastify) and [`@koa/cors`](https://github.com/koajs/cors). ' +
      'Produced by `pnpm bench` ([apps/bench](../apps/bench)); every ratio is **ours ÷ the other side**.',
    '',
  );
  const m = (r.inprocess ?? r.server ?? r.alloc)?.meta.machine;
  if (m !== undefined) out.push(`**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · **Node** ${m.node}`, '');
  const dates = [r.inprocess, r.alloc, r.direct, r.server].filter((p) => p !== undefined).map((p) => p.meta.date.slice(0, 10));
  if (dates.length > 0) out.push(`**Date:** ${[...new Set(dates)].join(', ')}`, '');

  out.push('## Targets', '', '| Target | Scope | Result | Verdict |', '|---|---|---|---|');
  for (const t of targets(r)) out.push(`| ${t.target} | ${t.scope} | ${t.result} | ${verdict(t.ok)} |`);
  out.push('', ...floorNote(r));
  out.push('', '![Ratios: in-process time and server throughput, ours against the incumbents and bare frameworks](benchmarks.svg)', '');
  out.push(...inprocessSections(r), ...allocSection(r), ...directSection(r), ...serverSections(r), ...methodSection());
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** Write docs/benchmarks.md and docs/benchmarks.svg; returns their paths. */
export function writeReport(): string[] {
  const r = load();
  const smoke = [r.inprocess, r.alloc, r.direct, r.server].some((p) => p?.meta.quick === true);
  mkdirSync(DOCS_DIR, { recursive: true });
  const md = new URL('benchmarks.md', DOCS_DIR);
  const svg = new URL('benchmarks.svg', DOCS_DIR);
  writeFileSync(md, markdown(r));
  writeFileSync(svg, chartSvg(r, smoke));
  return [fileURLToPath(md), fileURLToPath(svg)];
}

// `tsx src/report.ts` rebuilds the documents from the saved results.
if (process.argv[1] !== undefined && process.argv[1].endsWith('report.ts')) {
  console.log(`wrote ${writeReport().join(' and ')}`);
}
