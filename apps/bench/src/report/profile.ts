/** "Where the time over the floor goes": one row per profiled target, the extra time of ours by whose code and by function. */
import type { FunctionDelta, SideSummary } from '../profile/attribute.js';
import { targetLabel } from '../profile/run.js';
import { ns, opening, table } from './format.js';
import type { Results } from './load.js';

export const PROFILE_ANCHOR = '#where-the-time-over-the-floor-goes-cpu-profiles';

const intro = (intervalUs: unknown): string =>
  "Ours and the floor of each framework (for the async predicate, which has no floor: ours and the incumbent) under V8's sampling profiler (`node:inspector`, one sample every " +
  `${String(intervalUs)} µs), taking turns in short slices in one process. Each function's *self* time per request, ` +
  'summed by whose code it is: Preflight, the framework\'s packages, Node (`node:` modules), V8 (builtins, RegExps) and GC, or the harness (the stubs and the route, built for every request here, which the timed figures above leave out). ' +
  'The profiler and that harness make every figure larger than in the tables above: read the columns against each other. A function with no counterpart in the floor is the work a correct layer does and the floor skips; a Node or framework function that costs more on our side is work ours makes the framework do.';

const SPLIT_INTRO =
  '**The same extra time, split at the framework minimum.** Against the floor, the framework minimum (the floor plus what the framework makes every correct CORS layer do, ' +
  'see [Targets](#targets)) was profiled in the same turns. Each share: the extra time per request, then the functions that account for most of it. ' +
  'Functions of the harness (`apps/bench/src`) in the framework\'s share are the minimum\'s own reads of the request headers; `keepVary`\'s `writeHead` wrapper is core code, ' +
  'but a correct layer needs it wherever a route may replace `Vary` before the head is written.';

const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${ns(Math.abs(v))}`;

/** The owners whose time differs most between two sides (the four largest either way, most time first). */
function byOwner(a: SideSummary, b: SideSummary): string {
  const owners = [...new Set([...Object.keys(a.owners), ...Object.keys(b.owners)])] as (keyof SideSummary['owners'])[];
  const found = owners
    .map((o) => [o, (a.owners[o] ?? 0) - (b.owners[o] ?? 0)] as const)
    .filter(([, d]) => Math.abs(d) >= 5)
    // GC variance in the big frameworks moves many owners a little: the four largest differences only.
    .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]))
    .slice(0, 4)
    .sort((x, y) => y[1] - x[1])
    .map(([o, d]) => `${o.startsWith('pkg:') ? o.slice(4) : o} ${signed(d)}`);
  return found.join(', ') || '–';
}

const byFunction = (top: readonly FunctionDelta[]): string =>
  top.filter((f) => f.ours - f.other >= 5).slice(0, 4).map((f) => `\`${f.key}\` ${signed(f.ours - f.other)}`).join(', ') || '–';

export function profileSection(r: Results): string[] {
  const p = r.profile;
  if (p === undefined || p.results.length === 0) return [];
  const rows = p.results.map((x) => [
    targetLabel(x.target), ns(x.ours.total), `${ns(x.other.total)} (${x.target.against})`, signed(x.ours.total - x.other.total), byOwner(x.ours, x.other), byFunction(x.top),
  ]);
  const share = (a: SideSummary, b: SideSummary, top: readonly FunctionDelta[]): string => `${signed(a.total - b.total)}: ${byFunction(top)}`;
  const split = p.results.flatMap(({ target, ours, other, minimum: m }) =>
    m === undefined ? [] : [[targetLabel(target), ns(other.total), ns(m.summary.total), ns(ours.total), share(m.summary, other, m.framework), share(ours, m.summary, m.ours)]]);
  const splitHeader = ['Target', 'floor', 'framework minimum', 'ours', 'floor → minimum: what the framework makes every correct layer do', 'minimum → ours: what our logic adds'];
  return [
    ...opening('### Where the time over the floor goes (CPU profiles)', p.meta, intro(p.meta.settings.intervalUs)),
    ...table(['Target', 'ours', 'the other side', 'extra', 'extra by whose code', 'largest extra, by function'], rows),
    '',
    ...(split.length === 0 ? [] : [SPLIT_INTRO, '', ...table(splitHeader, split), '']),
  ];
}
