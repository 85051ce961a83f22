import { mkdirSync, writeFileSync } from 'node:fs';
import type { Engine, EngineId } from '@preflight/demo';
import { expectationFor, type EngineDifference } from './cases.js';

/** Where each engine's run writes what every case gave; `pnpm --filter @preflight/browser-tests table` renders it. */
export const RESULTS_DIR = new URL('../results/', import.meta.url);

/** One case on one adapter in one engine. */
export interface CaseResult {
  readonly adapter: string;
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  /** `unavailable`: the feature is missing in this engine headless, as the case expects (counted apart). */
  readonly verdict: 'pass' | 'fail' | 'unavailable';
  /** The engine's own expectation, when it differs from the standard's. */
  readonly difference?: string;
  readonly error?: string;
}

/** What one test file's run in one engine writes to `results/<suite>.<engine>.json`. */
export interface ResultFile {
  readonly suite: string;
  readonly engine: { readonly id: EngineId; readonly name: string; readonly version: string };
  readonly finishedAt: string;
  readonly seconds: number;
  readonly results: readonly CaseResult[];
}

type AnyCase = { readonly id: string; readonly title: string; readonly kind?: string; readonly expect: object; readonly engines?: Partial<Record<EngineId, EngineDifference<object>>> };

/** Records every case's verdict for one engine, and writes them when the engine is done. */
export class ResultLog {
  readonly #results: CaseResult[] = [];
  #started = Date.now();

  constructor(
    readonly suite: string,
    readonly engine: EngineId,
  ) {}

  /** Start the clock (when the engine launches). */
  begin(): void {
    this.#started = Date.now();
  }

  /** Run `check` (which throws on a failed assertion) and record its verdict; rethrows. */
  async check(adapter: string, c: AnyCase, check: () => Promise<void>): Promise<void> {
    const { difference } = expectationFor(c as AnyCase & { expect: object }, this.engine);
    const base = { adapter, id: c.id, kind: c.kind ?? 'fetch', title: c.title, ...(difference ? { difference: difference.reason } : {}) };
    try {
      await check();
      this.#results.push({ ...base, verdict: difference?.unavailable ? 'unavailable' : 'pass' });
    } catch (error) {
      this.#results.push({ ...base, verdict: 'fail', error: String((error as Error).message ?? error).split('\n')[0]!.slice(0, 300) });
      throw error;
    }
  }

  /** Write `results/<suite>.<engine>.json` (nothing when no case ran, e.g. a filtered run). */
  write(engine: Engine | undefined): void {
    if (engine === undefined || this.#results.length === 0) return;
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file: ResultFile = {
      suite: this.suite,
      engine: { id: engine.id, name: engine.name, version: engine.version },
      finishedAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - this.#started) / 100) / 10,
      results: this.#results,
    };
    writeFileSync(new URL(`${this.suite}.${engine.id}.json`, RESULTS_DIR), `${JSON.stringify(file, null, 1)}\n`);
  }
}
