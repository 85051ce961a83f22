/** Details: heap allocated per request. */
import { CASES } from '../config.js';
import { int, notRun, opening, table } from './format.js';
import type { Results } from './load.js';
import { inprocFrameworks } from './lookup.js';

const INTRO =
  'Bytes of JavaScript heap allocated per request (`heapUsed` difference over batches of requests during which no GC ran, ' +
  'median over batches). Every figure includes the baseline (the stand-in request/response objects\' own header storage and the stand-in application); ' +
  'the difference to the baseline is the layer\'s own allocation. The stub response stores headers the way Node does (`[name, value]` per header and a lower-cased copy of the name), so each header a layer sets costs ≈ 100 B whoever sets it.';

export function allocSection(r: Results): string[] {
  const heading = '### Heap allocated per request';
  if (r.alloc === undefined) return notRun(heading, 'alloc');
  const rows = r.alloc.rows;
  const bytes = (caseId: string, f: string, side: string): number | undefined =>
    rows.find((x) => x.caseId === caseId && x.framework === f && x.side === side)?.bytes ?? undefined;
  const b = (v: number | undefined): string => (v === undefined ? '–' : `${int(v)} B`);
  const minus = (a: number | undefined, base: number | undefined): number | undefined => (a === undefined || base === undefined ? undefined : a - base);
  const body = [...new Set(rows.map((x) => x.caseId))].flatMap((caseId) =>
    inprocFrameworks(rows).map((f) => {
      const [inc, ours, base] = ['incumbent', 'ours', 'baseline'].map((s) => bytes(caseId, f, s));
      return [CASES.find((c) => c.id === caseId)?.label ?? caseId, f, b(inc), b(ours), b(minus(ours, base)), b(minus(inc, base)), b(base)];
    }),
  );
  const header = ['Case', 'Framework', 'incumbent', 'ours', 'ours − baseline', 'incumbent − baseline', 'baseline'];
  const out = [...opening(heading, r.alloc.meta, INTRO), ...table(header, body)];
  const core = rows.filter((x) => x.side === 'core' && x.bytes !== undefined);
  if (core.length > 0) out.push('', `Core alone (node, no adapter): ${core.map((x) => `${x.caseId} ${int(x.bytes!)} B`).join(', ')}.`);
  return [...out, ''];
}
