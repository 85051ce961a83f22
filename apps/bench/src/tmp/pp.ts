// per-process ratios: ours/floor, minimum/floor, ours/minimum for given framework+case
import { load } from '../report/load.js';
import { blockNetRatios, median, lowerQuartile } from '../stats.js';
const [f = 'node', c = 'simple-10'] = process.argv.slice(2);
const rows = load().inprocess!.rows.filter((r) => r.framework === f && r.caseId === c);
const procs = [...new Set(rows.map((r) => r.process ?? 0))];
const s = (side: string, p: number) => rows.find((r) => r.side === side && (r.process ?? 0) === p)?.paired ?? [];
for (const p of procs) {
  const zeros = s('ours', p).map(() => 0);
  const r = (a: string, b: string) => median(blockNetRatios(s(a, p), s(b, p), zeros, s('baseline', p))).toFixed(3);
  console.log(`${f} ${c} p${p}: o/f ${r('ours', 'floor')} m/f ${r('minimum', 'floor')} o/m ${r('ours', 'minimum')}  lq ours ${lowerQuartile(s('ours', p)).toFixed(0)} min ${lowerQuartile(s('minimum', p)).toFixed(0)} floor ${lowerQuartile(s('floor', p)).toFixed(0)}`);
}
