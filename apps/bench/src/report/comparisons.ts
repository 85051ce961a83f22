/**
 * Details: comparisons earlier issues set as goals (one third of the incumbent's time, flat
 * with list size, the cost of a cache miss). Facts only: they are not targets any more.
 */
import { ns, pairedText, ratio, table } from './format.js';
import type { Results } from './load.js';
import {
  div, incumbentName, inprocFrameworks, inprocNs, netNs, netRatio, pairedNetRatio, type Rows,
} from './lookup.js';
import { cacheMissNs } from './targets.js';

/** Simple allowed request, 10 origins: ours and the floor against the incumbent. */
function versusIncumbent(rows: Rows, f: string): string {
  const c = 'simple-10';
  const [base, inc, ours] = (['baseline', 'incumbent', 'ours'] as const).map((s) => inprocNs(rows, c, f, s));
  const p = pairedNetRatio(rows, f, [c, 'ours'], [c, 'incumbent'], [c, 'baseline']);
  const floor = pairedNetRatio(rows, f, [c, 'floor'], [c, 'incumbent'], [c, 'baseline']);
  return (
    `${pairedText(p, true)} net of the baseline (${ns(netNs(ours, base))} vs ${ns(netNs(inc, base))}); raw ${ratio(div(ours, inc))} (${ns(ours)} vs ${ns(inc)})` +
    (floor === undefined ? '' : `; floor ÷ incumbent ${pairedText(floor)}${floor.median > 1 / 3 ? ' (above 1/3: no layer that sends the same headers reaches one third here)' : ''}`)
  );
}

/** 10,000 origins and 1,000 patterns against 10 origins, ours only (interleaved in one process when the flat group ran). */
function flatness(rows: Rows, f: string): string {
  const interleaved = inprocNs(rows, 'flat:simple-10', f, 'ours') !== undefined;
  const id = (caseId: string): string => (interleaved ? `flat:${caseId}` : caseId);
  const base = inprocNs(rows, id('simple-10'), f, 'baseline');
  const [ours10, base10] = [[id('simple-10'), 'ours'], [id('simple-10'), 'baseline']] as const;
  const versus10 = (caseId: string): number | undefined => pairedNetRatio(rows, f, [id(caseId), 'ours'], ours10, base10)?.median;
  const rotating = netRatio(inprocNs(rows, 'simple-10k-rotating', f, 'ours'), inprocNs(rows, 'simple-10', f, 'ours'), inprocNs(rows, 'simple-10', f, 'baseline'));
  return (
    `net of the baseline${interleaved ? ', the three policies interleaved in one process' : ''}: ` +
    `10,000 origins ${ratio(versus10('simple-10k'))} (${ns(netNs(inprocNs(rows, id('simple-10k'), f, 'ours'), base))} vs ${ns(netNs(inprocNs(rows, id('simple-10'), f, 'ours'), base))}), ` +
    `1,000 patterns ${ratio(versus10('patterns-1k'))}; a different origin every request (all cache misses, separate groups) ${ratio(rotating)}`
  );
}

export function comparisonsSection(r: Results): string[] {
  const rows = r.inprocess?.rows;
  const frameworks = inprocFrameworks(rows);
  if (frameworks.length === 0) return [];
  const withIncumbent = frameworks.filter((x) => incumbentName(x) !== undefined);
  const body: string[][] = [];
  for (const f of withIncumbent) body.push(['Simple allowed request, 10 origins: ours ÷ incumbent (an earlier goal: ≤ 1/3)', `${f} (vs ${incumbentName(f)})`, versusIncumbent(rows, f)]);
  // Only the frameworks that ran the list-size cases (FRAMEWORK_CASES in src/inprocess/run.ts).
  const sized = frameworks.filter((f) => inprocNs(rows, 'flat:simple-10k', f, 'ours') !== undefined || inprocNs(rows, 'simple-10k', f, 'ours') !== undefined);
  for (const f of sized) body.push(['Flat with list size (an earlier goal: ≤ 1.25× the 10-origin case)', f, flatness(rows, f)]);
  for (const f of frameworks) {
    const extra = cacheMissNs(r, f);
    if (extra !== undefined) body.push(['A new origin (cache miss) vs a repeated one, 10,000 origins, ours', f, `+${ns(extra)} per request`]);
  }
  return [
    '### Other comparisons',
    '',
    'Goals of earlier issues, kept as facts (they are not targets any more). Time ratios, below 1× ours is faster.',
    '',
    ...table(['Comparison', 'Framework', 'Result'], body),
    '',
  ];
}
