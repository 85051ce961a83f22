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

/** Every part's latest results; a part never run is absent. `inprocess24`: the in-process part under Node 24. */
export interface Results {
  inprocess?: { meta: PartMeta; rows: InprocessRow[] };
  inprocess24?: { meta: PartMeta; rows: InprocessRow[] };
  alloc?: { meta: PartMeta; rows: AllocRow[] };
  direct?: { meta: PartMeta; results: DirectResult[] };
  server?: { meta: PartMeta & ServerMeta; rows: ServerRow[] };
  /** The structures of packages/core/bench/compile.bench.ts --json. */
  scale?: { meta: PartMeta; figures: { id: string; name: string; fastestMs: number; medianMs: number; retainedBytes: number }[] };
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
export const isSmoke = (r: Results): boolean => Object.values(r).some((p) => p?.meta.quick === true);
