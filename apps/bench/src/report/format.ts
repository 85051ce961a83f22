/** How numbers, tables and section openings are written in the report. */
import type { PartMeta } from './load.js';
import type { Summary } from '../stats.js';
import { ratioLabel as ratio } from '../svg.js';

export { ratio };

export function ns(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value < 1000) return `${value.toFixed(0)} ns`;
  if (value < 1e6) return `${(value / 1000).toPrecision(3)} µs`;
  return `${(value / 1e6).toPrecision(3)} ms`;
}

export function processesOf(meta: PartMeta | undefined): string {
  const n = meta?.settings.processes;
  return ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(n)] ?? String(n ?? 'several');
}

// `+ 0`: a value that rounds to −0 (−0.2 B over the minimum) is written `0`, not `-0`.
export const int = (value: number): string => (Math.round(value) + 0).toLocaleString('en-US');

export function opening(heading: string, meta: PartMeta, intro: string, more = ''): string[] {
  const m = meta.machine;
  const settings = Object.entries(meta.settings).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  const when = `${meta.date.slice(0, 16).replace('T', ' ')} UTC`;
  const line = `${when} · ${m.cpu} · ${m.cores} cores · Node ${m.node} · ${m.os} · load average ${m.load.toFixed(2)} at start · ${settings}`;
  return [heading, '', `_${line}${meta.quick ? ' · **smoke run**' : ''}${more}_`, '', intro, ''];
}

export const notRun = (heading: string, part: string): string[] => [heading, '', `Not run yet: \`pnpm bench --only ${part}\`.`, ''];

/** The median (of ratios: in bold), then the range in brackets when there is more than one value. */
export function rangeText(p: Summary | undefined, show: (v: number) => string = ratio, bold = '**'): string {
  if (p === undefined) return '–';
  return p.n > 1 ? `${bold}${show(p.median)}${bold} (${show(p.min)}–${show(p.max)})` : `${bold}${show(p.median)}${bold}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)];
}
