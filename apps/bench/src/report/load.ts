/** The saved results of each part (apps/bench/results/<part>.json), as the report reads them. */
import { existsSync, readFileSync } from 'node:fs';
import type { AllocRow } from '../alloc.js';
import type { InprocessRow } from '../inprocess/run.js';
import type { Machine } from '../machine.js';
import type { ProfileResult } from '../profile/run.js';
import type { DirectResult } from '../server/direct.js';
import type { ServerMeta, ServerRow } from '../server/run.js';

export const RESULTS_DIR = new URL('../../results/', import.meta.url);

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

export const resultFile = (part: keyof Results): string => (part === 'inprocess24' ? 'inprocess-node24' : part);

export function load(dir: URL = RESULTS_DIR): Results {
  const results: Record<string, unknown> = {};
  for (const part of ['inprocess', 'inprocess24', 'alloc', 'direct', 'server', 'scale', 'profile'] as const) {
    const url = new URL(`${resultFile(part)}.json`, dir);
    if (existsSync(url)) results[part] = JSON.parse(readFileSync(url, 'utf8'));
  }
  return results as Results;
}

export const isSmoke = (r: Results): boolean => Object.values(r).some((p) => p?.meta.quick === true);
