/** "Where the time over the floor goes": one row per profiled target, the extra time of ours by whose code and by function. */
import { targetLabel } from '../profile/run.js';
import { ns, opening, table } from './format.js';
import type { Results } from './load.js';

/** The heading's anchor, for links from the targets. */
export const PROFILE_ANCHOR = '#where-the-time-over-the-floor-goes-cpu-profiles';

const intro = (intervalUs: unknown): string =>
  "Ours and the floor of each framework (for the async predicate, which has no floor: ours and the incumbent) under V8's sampling profiler (`node:inspector`, one sample every " +
  `${String(intervalUs)} µs), taking turns in short slices in one process. Each function's *self* time per request, ` +
  'summed by whose code it is: Preflight, the framework\'s packages, Node (`node:` modules), V8 (builtins, RegExps) and GC, or the harness (the stand-in objects and application, built for every request here, which the timed figures above leave out). ' +
  'The profiler and that harness make every figure larger than in the tables above: read the columns against each other. A function with no counterpart in the floor is the work a correct layer does and the floor skips; a Node or framework function that costs more on our side is work ours makes the framework do.';

/** `+12 ns` / `−3 ns`. */
const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${ns(Math.abs(v))}`;

export function profileSection(r: Results): string[] {
  const p = r.profile;
  if (p === undefined || p.results.length === 0) return [];
  const rows = p.results.map((x) => {
    const owners = [...new Set([...Object.keys(x.ours.owners), ...Object.keys(x.other.owners)])] as (keyof typeof x.ours.owners)[];
    const byOwner = owners
      .map((o) => [o, (x.ours.owners[o] ?? 0) - (x.other.owners[o] ?? 0)] as const)
      .filter(([, d]) => Math.abs(d) >= 5)
      // The four largest differences either way (GC variance in the big frameworks moves many owners a little), most time first.
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, 4)
      .sort((a, b) => b[1] - a[1])
      .map(([o, d]) => `${o.startsWith('pkg:') ? o.slice(4) : o} ${signed(d)}`)
      .join(', ');
    const functions = x.top
      .filter((f) => f.ours - f.other >= 5)
      .slice(0, 4)
      .map((f) => `\`${f.key}\` ${signed(f.ours - f.other)}`)
      .join(', ');
    return [targetLabel(x.target), ns(x.ours.total), `${ns(x.other.total)} (${x.target.against})`, signed(x.ours.total - x.other.total), byOwner || '–', functions || '–'];
  });
  return [
    ...opening('### Where the time over the floor goes (CPU profiles)', p.meta, intro(p.meta.settings.intervalUs)),
    ...table(['Target', 'ours', 'the other side', 'extra', 'extra by whose code', 'largest extra, by function'], rows),
    '',
  ];
}
