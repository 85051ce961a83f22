/** docs/benchmarks.svg: the ratios of the report as bars (rendering in ../svg.ts). */
import { SERVER_FRAMEWORKS } from '../server/apps.js';
import type { Summary } from '../stats.js';
import { chart, logDomain, type Panel } from '../svg.js';
import type { Results } from './load.js';
import { casesOf, incumbentName, inprocFrameworks, loopback, oursName, oursOverIncumbent } from './lookup.js';

/** Colours given to in-process frameworks in the order they appear. */
const PALETTE = ['#3c873a', '#2b6cb0', '#c05621', '#805ad5', '#d53f8c', '#319795', '#b7791f', '#4a5568'];

function inprocessPanel(r: Results): Panel | undefined {
  const rows = r.inprocess?.rows;
  const frameworks = inprocFrameworks(rows).filter((f) => incumbentName(f) !== undefined);
  if (frameworks.length === 0) return undefined;
  const color = (f: string): string => PALETTE[frameworks.indexOf(f) % PALETTE.length]!;
  const values: number[] = [];
  const groups = casesOf(rows).map((c) => ({
    label: c.short,
    bars: frameworks.map((f) => {
      const v = oursOverIncumbent(rows, f, c.id);
      if (v !== undefined) values.push(v);
      return { value: v, color: color(f) };
    }),
  }));
  return {
    title: 'In-process: the layers\' own time per request, ours ÷ incumbent (log scale)',
    subtitle: 'Net of the no-op baseline, paired batch by batch. Bars left of 1× = ours faster.',
    groups,
    scale: 'log',
    domain: logDomain(values),
    references: [{ value: 1, label: '1× (parity)' }],
    legend: frameworks.map((f) => ({ label: `${f}: ${oursName(f)} ÷ ${incumbentName(f)}`, color: color(f) })),
  };
}

function serverPanel(r: Results): Panel | undefined {
  if (r.server === undefined) return undefined;
  const values: number[] = [];
  const value = (p: Summary | undefined): number | undefined => {
    if (p !== undefined) values.push(p.median);
    return p?.median;
  };
  const groups = SERVER_FRAMEWORKS.filter((f) => r.server!.rows.some((x) => x.framework === f && x.variant === 'ours')).map((f) => ({
    label: f,
    bars: [
      { value: value(loopback(r, f, 'simple', 'ours', 'floor')), color: '#2b6cb0' },
      { value: value(loopback(r, f, 'simple', 'incumbent', 'floor')), color: '#a0aec0' },
      { value: value(loopback(r, f, 'preflight', 'ours', 'incumbent')), color: '#c05621' },
    ],
  }));
  if (groups.length === 0) return undefined;
  return {
    title: 'Server throughput ratios over loopback (requests/s, median of interleaved repetitions)',
    subtitle: 'Right of 1× = more requests per second. Dashed line: the 0.97× target for simple requests (ours ÷ floor).',
    groups,
    scale: 'linear',
    // ±30 % around parity, widened (in steps of 0.1) when a ratio falls outside.
    domain: [Math.min(0.7, Math.floor(Math.min(...values) * 10) / 10), Math.max(1.3, Math.ceil(Math.max(...values) * 10) / 10)],
    references: [
      { value: 1, label: '1×' },
      { value: 0.97, label: '0.97' },
    ],
    legend: [
      { label: 'simple: ours ÷ floor', color: '#2b6cb0' },
      { label: 'simple: incumbent ÷ floor', color: '#a0aec0' },
      { label: 'preflight: ours ÷ incumbent', color: '#c05621' },
    ],
  };
}

/** The chart of the report; a red banner on a smoke run. */
export function chartSvg(r: Results, smoke: boolean): string {
  const panels = [inprocessPanel(r), serverPanel(r)].filter((p) => p !== undefined);
  const part = r.inprocess ?? r.server ?? r.alloc;
  const m = part?.meta.machine;
  return chart(panels, {
    ...(smoke ? { banner: 'SMOKE RUN — NOT REAL FIGURES (tiny durations on a busy machine)' } : {}),
    footer: m === undefined ? '' : `${m.cpu} · ${m.cores} cores · Node ${m.node} · ${part!.meta.date.slice(0, 10)} · Preflight benchmarks (apps/bench)`,
  });
}
