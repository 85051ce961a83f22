// Builds docs/benchmarks.md and docs/benchmarks.svg (at the repository root) from the latest results/*.json of each part: the headline
// table, the targets, then the details. Run by `pnpm --filter @preflight/bench report` (nothing measured) and at the end of `pnpm bench`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chartSvg } from './chart.js';
import { allocSection, comparisonsSection, scaleSection } from './details.js';
import { headlineSection } from './headline.js';
import { inprocessSection, nodeVersionsSection } from './inprocess.js';
import { isSmoke, load, type Results } from './load.js';
import { methodSection } from './method.js';
import { profileSection } from './profile.js';
import { directSection, loopbackSection } from './server.js';
import { targetsSection } from './targets.js';

export { RESULTS_DIR, type PartMeta, type Results } from './load.js';

const DOCS_DIR = new URL('../../../../docs/', import.meta.url);
const SMOKE_WARNING = [
  '> [!WARNING]',
  '> **SMOKE RUN — these are not real figures.** At least one part was produced by `pnpm bench --quick` (tiny durations, one repetition, often on a busy machine) only to prove that the scripts work. Run `pnpm bench` on an idle machine for the real measurement.',
  '',
];
const DETAILS = [
  '## Details',
  '',
  'Preflight against what users run today — [`cors`](https://github.com/expressjs/cors) (node:http, Express, NestJS `enableCors()` on Express), ' +
    '[`@fastify/cors`](https://github.com/fastify/fastify-cors) (Fastify, NestJS on Fastify), [`@koa/cors`](https://github.com/koajs/cors), `hono/cors`, hapi\'s route `cors` and h3\'s `handleCors`. ' +
    'Every ratio is **ours ÷ the other side**.',
  '',
  '![Ratios: in-process time and server throughput, ours against the incumbents and the floor](benchmarks.svg)',
  '',
];

/** The sections of docs/benchmarks.md, in order. */
const SECTIONS: readonly ((r: Results) => string[])[] = [
  headlineSection, targetsSection, () => DETAILS, inprocessSection, nodeVersionsSection, comparisonsSection, scaleSection, allocSection,
  directSection, loopbackSection, profileSection, methodSection,
];

/** The whole of docs/benchmarks.md for `r`; empty lines in a row are one (a section may end, and the next begin, with one). */
export function markdown(r: Results): string {
  const out = ['# Benchmarks', '', ...(isSmoke(r) ? SMOKE_WARNING : []), ...SECTIONS.flatMap((section) => section(r))];
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** Write docs/benchmarks.md and docs/benchmarks.svg from apps/bench/results/; returns their paths. */
export function writeReport(): string[] {
  const r = load();
  mkdirSync(DOCS_DIR, { recursive: true });
  const [md, svg] = [new URL('benchmarks.md', DOCS_DIR), new URL('benchmarks.svg', DOCS_DIR)];
  writeFileSync(md, markdown(r));
  writeFileSync(svg, chartSvg(r, isSmoke(r)));
  return [fileURLToPath(md), fileURLToPath(svg)];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${writeReport().join(' and ')}`);
}
