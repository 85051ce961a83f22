/** docs/benchmarks.svg: the ratios of the report as bars (rendering in ../svg.ts). */
import { chart, logDomain, type Panel } from '../svg.js';
import type { Results } from './load.js';
import { casesOf, incumbentName, inprocFrameworks, loopback, oursName, oursOverIncumbent, serverFrameworks } from './lookup.js';

const PALETTE = ['#3c873a', '#2b6cb0', '#c05621', '#805ad5', '#d53f8c', '#319795', '#b7791f', '#4a5568'];

/** The bars of each framework in the server panel: kind, a ÷ b, colour. */
const SERVER_BARS = [
  ['simple', 'ours', 'floor', '#2b6cb0'], ['simple', 'incumbent', 'floor', '#a0aec0'], ['preflight', 'ours', 'incumbent', '#c05621'],
] as const;

const valuesOf = (groups: Panel['groups']): number[] => groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v !== undefined);

function inprocessPanel(r: Results): Panel | undefined {
  const rows = r.inprocess?.rows;
  const frameworks = inprocFrameworks(rows, true);
  if (frameworks.length === 0) return undefined;
  const color = (f: string): string => PALETTE[frameworks.indexOf(f) % PALETTE.length]!;
  const groups = casesOf(rows).map((c) => ({ label: c.short, bars: frameworks.map((f) => ({ value: oursOverIncumbent(rows, f, c.id), color: color(f) })) }));
  return {
    title: 'In-process: the layers\' own time per request, ours ÷ incumbent (log scale)',
    subtitle: 'Net of the no-op baseline (preflights: raw), paired batch by batch. Bars left of 1× = ours faster.',
    groups,
    scale: 'log',
    domain: logDomain(valuesOf(groups)),
    references: [{ value: 1, label: '1× (parity)' }],
    legend: frameworks.map((f) => ({ label: `${f}: ${oursName(f)} ÷ ${incumbentName(f)}`, color: color(f) })),
  };
}

function serverPanel(r: Results): Panel | undefined {
  const groups = serverFrameworks(r, 'server').map((f) => ({
    label: f,
    bars: SERVER_BARS.map(([kind, a, b, color]) => ({ value: loopback(r, f, kind, a, b)?.median, color })),
  }));
  if (groups.length === 0) return undefined;
  const values = valuesOf(groups);
  return {
    title: 'Server throughput ratios over loopback (requests/s, median of interleaved repetitions)',
    subtitle: 'Right of 1× = more requests per second. Dashed line: the 0.97× target for simple requests (ours ÷ floor).',
    groups,
    scale: 'linear',
    // ±30 % around parity, widened (in steps of 0.1) when a ratio falls outside.
    domain: [Math.min(0.7, Math.floor(Math.min(...values) * 10) / 10), Math.max(1.3, Math.ceil(Math.max(...values) * 10) / 10)],
    references: [{ value: 1, label: '1×' }, { value: 0.97, label: '0.97' }],
    legend: SERVER_BARS.map(([kind, a, b, color]) => ({ label: `${kind}: ${a} ÷ ${b}`, color })),
  };
}

export function chartSvg(r: Results, smoke: boolean): string {
  const panels = [inprocessPanel(r), serverPanel(r)].filter((p) => p !== undefined);
  const meta = (r.inprocess ?? r.server ?? r.alloc)?.meta;
  const m = meta?.machine;
  return chart(panels, {
    ...(smoke ? { banner: 'SMOKE RUN — NOT REAL FIGURES (tiny durations on a busy machine)' } : {}),
    footer: m === undefined ? '' : `${m.cpu} · ${m.cores} cores · Node ${m.node} · ${meta!.date.slice(0, 10)} · Preflight benchmarks (apps/bench)`,
  });
}
