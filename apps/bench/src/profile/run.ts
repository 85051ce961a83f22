/** The `profile` part: where ours spends the time it takes over the floor (and the framework minimum), one process per target. */
import { runNodeForJson } from '../child-process.js';
import { caseById } from '../config.js';
import { FRAMEWORKS, IN_PROCESS, hasFloor, type Framework } from '../inprocess/drivers.js';
import type { ServerFramework } from '../server/apps.js';
import type { FunctionDelta, SideSummary } from './attribute.js';

export type ProfileTarget =
  | { readonly mode: 'in-process'; readonly framework: Framework; readonly caseId: string; readonly against: 'floor' | 'incumbent' }
  | { readonly mode: 'direct'; readonly framework: ServerFramework; readonly kind: 'simple'; readonly against: 'floor' };

/** Unprofiled warm-up per side, then `slices` profiled slices per side in turns; how many functions to keep. */
export const profileSettings = (quick: boolean) => ({
  warmupMs: quick ? 50 : 1000, slices: quick ? 1 : 12, sliceMs: quick ? 50 : 250, intervalUs: 100, top: 8,
});
export type ProfileSettings = ReturnType<typeof profileSettings>;

export interface ProfileResult {
  readonly target: ProfileTarget;
  readonly ours: SideSummary;
  /** The floor's or the incumbent's (`target.against`). */
  readonly other: SideSummary;
  readonly top: readonly FunctionDelta[];
  /** Against the floor: the minimum's profile, the functions floor → minimum (the framework's share) and minimum → ours. */
  readonly minimum?: { readonly summary: SideSummary; readonly framework: readonly FunctionDelta[]; readonly ours: readonly FunctionDelta[] };
}

const CASE_LABELS: Record<string, string> = { 'simple-10': 'simple', 'preflight-10': 'preflight', 'async-10': 'async predicate' };

/** Ours against the floor on a simple request and a preflight; the async predicate (no floor) against the incumbent; then direct. */
export function profileTargets(inprocess: readonly Framework[], direct: readonly ServerFramework[]): ProfileTarget[] {
  const frameworks = FRAMEWORKS.filter((f) => inprocess.includes(f));
  const floorCases = ['simple-10', 'preflight-10'].filter((id) => hasFloor(caseById(id)));
  return [
    ...frameworks.flatMap((framework) => floorCases.map((caseId): ProfileTarget => ({ mode: 'in-process', framework, caseId, against: 'floor' }))),
    ...frameworks
      .filter((f) => IN_PROCESS[f].incumbent !== undefined)
      .map((framework): ProfileTarget => ({ mode: 'in-process', framework, caseId: 'async-10', against: 'incumbent' })),
    ...direct.map((framework): ProfileTarget => ({ mode: 'direct', framework, kind: 'simple', against: 'floor' })),
  ];
}

export function targetLabel(t: ProfileTarget): string {
  const what = t.mode === 'in-process' ? `${t.framework} in-process, ${CASE_LABELS[t.caseId] ?? t.caseId}` : `${t.framework} direct, simple`;
  return t.against === 'floor' ? what : `${what}, vs ${IN_PROCESS[t.framework as Framework]?.incumbent ?? 'the incumbent'}`;
}

export async function runProfiles(targets: readonly ProfileTarget[], settings: ProfileSettings, pin: boolean, log: (line: string) => void): Promise<ProfileResult[]> {
  const results: ProfileResult[] = [];
  for (const target of targets) {
    const args = [JSON.stringify({ target, settings })];
    const result = await runNodeForJson<ProfileResult>(`profile of ${targetLabel(target)}`, new URL('./child.ts', import.meta.url), args, { pin });
    const extra = result.ours.total - result.other.total;
    const first = result.top[0];
    const most = first === undefined ? '' : `; most: ${first.key} +${Math.round(first.ours - first.other)} ns`;
    const minimum = result.minimum === undefined ? '' : `, minimum ${Math.round(result.minimum.summary.total)} ns`;
    const figures = `ours ${Math.round(result.ours.total)} ns${minimum}, ${target.against} ${Math.round(result.other.total)} ns`;
    log(`  ${targetLabel(target).padEnd(32)} ${figures} (${extra >= 0 ? '+' : ''}${Math.round(extra)} ns)${most}`);
    results.push(result);
  }
  return results;
}
