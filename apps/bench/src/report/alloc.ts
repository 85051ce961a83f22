/** Details: heap allocated per request. */
import { CASES } from '../config.js';
import { int, metaLine, table } from './format.js';
import type { Results } from './load.js';
import { inprocFrameworks, type SideName } from './lookup.js';

/** Bytes per request of a side, undefined when not measured. */
export function allocBytes(r: Results, caseId: string, framework: string, side: SideName): number | undefined {
  return r.alloc?.rows.find((x) => x.caseId === caseId && x.framework === framework && x.side === side)?.bytes ?? undefined;
}

export function allocSection(r: Results): string[] {
  if (r.alloc === undefined) return ['### Heap allocated per request', '', 'Not run yet: `pnpm bench --only alloc`.', ''];
  const out = ['### Heap allocated per request', '', `_${metaLine(r.alloc.meta)}_`, ''];
  out.push(
    'Bytes of JavaScript heap allocated per request (`heapUsed` difference over batches of requests during which no GC ran, ' +
      'median over batches). Every figure includes the baseline (the stand-in request/response objects\' own header storage and the stand-in application); ' +
      'the difference to the baseline is the layer\'s own allocation. The stub response stores headers the way Node does (`[name, value]` per header and a lower-cased copy of the name), so each header a layer sets costs ≈ 100 B whoever sets it.',
    '',
  );
  const b = (v: number | undefined): string => (v === undefined ? '–' : `${int(v)} B`);
  const minus = (a: number | undefined, base: number | undefined): number | undefined => (a === undefined || base === undefined ? undefined : a - base);
  const frameworks = inprocFrameworks(r.alloc.rows);
  const body = [...new Set(r.alloc.rows.map((x) => x.caseId))].flatMap((caseId) =>
    frameworks.map((f) => {
      const [inc, ours, base] = (['incumbent', 'ours', 'baseline'] as const).map((s) => allocBytes(r, caseId, f, s));
      return [CASES.find((c) => c.id === caseId)?.label ?? caseId, f, b(inc), b(ours), b(minus(ours, base)), b(minus(inc, base)), b(base)];
    }),
  );
  out.push(...table(['Case', 'Framework', 'incumbent', 'ours', 'ours − baseline', 'incumbent − baseline', 'baseline'], body));
  const core = r.alloc.rows.filter((x) => x.side === 'core' && x.bytes !== undefined);
  if (core.length > 0) out.push('', `Core alone (node, no adapter): ${core.map((x) => `${x.caseId} ${int(x.bytes!)} B`).join(', ')}.`);
  out.push('');
  return out;
}
