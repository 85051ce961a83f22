/** The saved results of each part (apps/bench/results/<part>.json), as the report reads them. */
import { existsSync, readFileSync } from 'node:fs';
import type { AllocRow } from '../alloc.js';
import type { InprocessRow } from '../inprocess/run.js';
import type { Machine } from '../machine.js';
import type { ProfileResult } from '../profile/run.js';
import type { DirectResult } from '../server/direct.js';
import type { ServerMeta, ServerRow } from '../server/run.js';

/** Where `pnpm bench` writes a part's results and the report reads them. */
export const RESULTS_DIR = new URL('../../results/', import.meta.url);

/** When, where and with which settings a part ran. */
export interface PartMeta {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly settings: Record<string, unknown>;
}

/** One structure of the `scale` part (packages/core/bench/compile.bench.ts --json). */
export interface ScaleFigure {
  readonly id: string;
  readonly name: string;
  readonly fastestMs: number;
  readonly medianMs: number;
  readonly retainedBytes: number;
}

/** Every part's latest results; a part never run is absent. `inprocess24`: the in-process part under Node 24. */
export interface Results {
  inprocess?: { meta: PartMeta; rows: InprocessRow[] };
  inprocess24?: { meta: PartMeta; rows: InprocessRow[] };
  alloc?: { meta: PartMeta; rows: AllocRow[] };
  direct?: { meta: PartMeta; results: DirectResult[] };
  server?: { meta: PartMeta & ServerMeta; rows: ServerRow[] };
  scale?: { meta: PartMeta; figures: ScaleFigure[] };
  profile?: { meta: PartMeta; results: ProfileResult[] };
}

/** The file name (without `.json`) of each part's results. */
export const RESULT_FILES: Record<keyof Results, string> = {
  inprocess: 'inprocess', inprocess24: 'inprocess-node24', alloc: 'alloc', direct: 'direct',
  server: 'server', scale: 'scale', profile: 'profile',
};

/** Read every part's results from `dir` (default: apps/bench/results/). */
export function load(dir: URL = RESULTS_DIR): Results {
  const results: Record<string, unknown> = {};
  for (const [part, file] of Object.entries(RESULT_FILES)) {
    const url = new URL(`${file}.json`, dir);
    if (existsSync(url)) results[part] = JSON.parse(readFileSync(url, 'utf8'));
  }
  return results as Results;
}

/** True when any part comes from a `--quick` (smoke) run. */
export function isSmoke(r: Results): boolean {
  return [r.inprocess, r.inprocess24, r.alloc, r.direct, r.server, r.scale, r.profile].some((p) => p?.meta.quick === true);
}
