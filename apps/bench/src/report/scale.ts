/** Details: compile time and retained heap of large origin lists (the `scale` part). */
import { notRun, opening, table } from './format.js';
import type { Results } from './load.js';

const INTRO =
  '`pnpm --filter @preflight/cors-core bench:compile` (`packages/core/bench/compile.bench.ts`): the list is built from flat strings before the clock starts; each build follows a GC; ' +
  '"retained" is the heap the built structure keeps beyond the strings the application already holds. "Set only" is a plain `new Set()` of the same strings, for comparison (Preflight keeps exact origins in its own table, sized once, which builds faster than a growing `Set`). "Retained" counts ArrayBuffer memory too.';

export function scaleSection(r: Results): string[] {
  const heading = '### Compiling large lists';
  if (r.scale === undefined) return notRun(heading, 'scale');
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  const rows = r.scale.figures.map((f) => [f.name, ms(f.fastestMs), ms(f.medianMs), `${(f.retainedBytes / 1e6).toFixed(1)} MB`]);
  return [...opening(heading, r.scale.meta, INTRO), ...table(['Structure', 'fastest', 'median', 'retained'], rows), ''];
}
