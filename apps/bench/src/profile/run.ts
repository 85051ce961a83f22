/**
 * The `profile` part: where ours spends the time it takes over the floor. For every
 * framework, ours and the floor are profiled side by side (V8's sampling profiler, the two
 * sides taking turns in short slices, one process per target) in-process (simple request and
 * preflight) and "direct" (the real server, simple request); the report shows, per target,
 * the extra time per request by owner (Preflight's code, the framework, Node/V8, GC) and the
 * functions that account for it.
 */
import { fileURLToPath } from 'node:url';
import { runNodeForJson } from '../child-process.js';
import { FRAMEWORKS, hasFloor, type Framework } from '../inprocess/drivers.js';
import { CASES } from '../config.js';
import type { ServerFramework } from '../server/apps.js';
import type { FunctionDelta, SideSummary } from './attribute.js';

export type ProfileTarget =
  | { readonly mode: 'in-process'; readonly framework: Framework; readonly caseId: string }
  | { readonly mode: 'direct'; readonly framework: ServerFramework; readonly kind: 'simple' };

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
  readonly floor: SideSummary;
  readonly top: readonly FunctionDelta[];
}

/** The in-process cases profiled: a simple allowed request and a preflight. */
export const PROFILE_CASES = ['simple-10', 'preflight-10'] as const;

export function profileTargets(inprocess: readonly Framework[], direct: readonly ServerFramework[]): ProfileTarget[] {
  const targets: ProfileTarget[] = [];
  for (const framework of FRAMEWORKS) {
    if (!inprocess.includes(framework)) continue;
    for (const caseId of PROFILE_CASES) if (hasFloor(CASES.find((c) => c.id === caseId)!)) targets.push({ mode: 'in-process', framework, caseId });
  }
  for (const framework of direct) targets.push({ mode: 'direct', framework, kind: 'simple' });
  return targets;
}

export function targetLabel(t: ProfileTarget): string {
  return t.mode === 'in-process' ? `${t.framework} in-process, ${t.caseId === 'simple-10' ? 'simple' : 'preflight'}` : `${t.framework} direct, simple`;
}

/** Profile every target, each in its own child process. */
export async function runProfiles(targets: readonly ProfileTarget[], settings: ProfileSettings, pin: boolean, log: (line: string) => void): Promise<ProfileResult[]> {
  const script = fileURLToPath(new URL('./child.ts', import.meta.url));
  const results: ProfileResult[] = [];
  for (const target of targets) {
    const result = await runNodeForJson<ProfileResult>(`profile of ${targetLabel(target)}`, [...process.execArgv, script, JSON.stringify({ target, settings })], { pin });
    const extra = result.ours.total - result.floor.total;
    const first = result.top[0];
    log(`  ${targetLabel(target).padEnd(32)} ours ${Math.round(result.ours.total)} ns, floor ${Math.round(result.floor.total)} ns (${extra >= 0 ? '+' : ''}${Math.round(extra)} ns)${first === undefined ? '' : `; most: ${first.key} +${Math.round(first.ours - first.floor)} ns`}`);
    results.push(result);
  }
  return results;
}
