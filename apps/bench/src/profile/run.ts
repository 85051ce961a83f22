/**
 * The `profile` part: where ours spends the time it takes over the floor. For every
 * framework, ours and the floor are profiled side by side (V8's sampling profiler, the two
 * sides taking turns in short slices, one process per target) in-process (simple request and
 * preflight; and the async origin predicate against the incumbent, as it has no floor) and
 * "direct" (the real server, simple request); the report shows, per target,
 * the extra time per request by owner (Preflight's code, the framework, Node/V8, GC) and the
 * functions that account for it.
 */
import { fileURLToPath } from 'node:url';
import { runNodeForJson } from '../child-process.js';
import { FRAMEWORKS, INCUMBENT, hasFloor, type Framework } from '../inprocess/drivers.js';
import { CASES } from '../config.js';
import type { ServerFramework } from '../server/apps.js';
import type { FunctionDelta, SideSummary } from './attribute.js';

/** The side ours is profiled against. */
export type Against = 'floor' | 'incumbent';

export type ProfileTarget =
  | { readonly mode: 'in-process'; readonly framework: Framework; readonly caseId: string; readonly against: Against }
  | { readonly mode: 'direct'; readonly framework: ServerFramework; readonly kind: 'simple'; readonly against: 'floor' };

export interface ProfileSettings {
  /** Unprofiled warm-up per side, ms. */
  readonly warmupMs: number;
  /** Profiled slices per side, taken in turns. */
  readonly slices: number;
  readonly sliceMs: number;
  /** V8's sampling interval, µs. */
  readonly intervalUs: number;
  /** How many functions to keep (largest extra over the floor first). */
  readonly top: number;
}

export interface ProfileResult {
  readonly target: ProfileTarget;
  readonly ours: SideSummary;
  /** The floor's or the incumbent's (`target.against`). */
  readonly other: SideSummary;
  readonly top: readonly FunctionDelta[];
}

/** The in-process cases profiled against the floor: a simple allowed request and a preflight. */
export const PROFILE_CASES = ['simple-10', 'preflight-10'] as const;
/** The in-process case profiled against the incumbent (it has no floor): the async origin predicate. */
export const PROFILE_INCUMBENT_CASE = 'async-10';

export function profileTargets(inprocess: readonly Framework[], direct: readonly ServerFramework[]): ProfileTarget[] {
  const targets: ProfileTarget[] = [];
  for (const framework of FRAMEWORKS) {
    if (!inprocess.includes(framework)) continue;
    for (const caseId of PROFILE_CASES) if (hasFloor(CASES.find((c) => c.id === caseId)!)) targets.push({ mode: 'in-process', framework, caseId, against: 'floor' });
  }
  for (const framework of FRAMEWORKS) {
    if (inprocess.includes(framework) && INCUMBENT[framework] !== undefined) targets.push({ mode: 'in-process', framework, caseId: PROFILE_INCUMBENT_CASE, against: 'incumbent' });
  }
  for (const framework of direct) targets.push({ mode: 'direct', framework, kind: 'simple', against: 'floor' });
  return targets;
}

const CASE_LABELS: Record<string, string> = { 'simple-10': 'simple', 'preflight-10': 'preflight', 'async-10': 'async predicate' };

export function targetLabel(t: ProfileTarget): string {
  const what = t.mode === 'in-process' ? `${t.framework} in-process, ${CASE_LABELS[t.caseId] ?? t.caseId}` : `${t.framework} direct, simple`;
  return t.against === 'floor' ? what : `${what}, vs ${INCUMBENT[t.framework as Framework] ?? 'the incumbent'}`;
}

/** Profile every target, each in its own child process. */
export async function runProfiles(targets: readonly ProfileTarget[], settings: ProfileSettings, pin: boolean, log: (line: string) => void): Promise<ProfileResult[]> {
  const script = fileURLToPath(new URL('./child.ts', import.meta.url));
  const results: ProfileResult[] = [];
  for (const target of targets) {
    const result = await runNodeForJson<ProfileResult>(`profile of ${targetLabel(target)}`, [...process.execArgv, script, JSON.stringify({ target, settings })], { pin });
    const extra = result.ours.total - result.other.total;
    const first = result.top[0];
    log(`  ${targetLabel(target).padEnd(32)} ours ${Math.round(result.ours.total)} ns, ${target.against} ${Math.round(result.other.total)} ns (${extra >= 0 ? '+' : ''}${Math.round(extra)} ns)${first === undefined ? '' : `; most: ${first.key} +${Math.round(first.ours - first.other)} ns`}`);
    results.push(result);
  }
  return results;
}
