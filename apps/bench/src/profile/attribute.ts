// Self time of a V8 CPU profile per function and per owner (whose code it is), in ns per request. Self time, because
// comparing two sides function by function says where one spends more; a caller's view would not (a `writeHead`
// wrapper puts the whole head serialization under its frame).

/** The parts of a `.cpuprofile` (Chrome DevTools protocol `Profiler.Profile`) read here. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export type Owner = 'Preflight' | 'GC' | 'V8' | 'Node' | 'harness' | `pkg:${string}`;

/** Accumulated self time of one side, in µs, per function (`name (file)`) and per owner; the requests it handled. */
export interface SelfTimes {
  requests: number;
  readonly functions: Map<string, { owner: Owner; us: number }>;
  readonly owners: Map<Owner, number>;
}

export const emptySelfTimes = (): SelfTimes => ({ requests: 0, functions: new Map(), owners: new Map() });

export function ownerOf(functionName: string, url: string): Owner {
  if (functionName === '(garbage collector)') return 'GC';
  if (url === '') return 'V8';
  if (url.startsWith('node:')) return 'Node';
  if (/\/packages\/[^/]+\/(src|dist)\//.test(url)) return 'Preflight';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return `pkg:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return 'harness';
}

function functionKey(functionName: string, url: string): string {
  const ours = /\/packages\/([^/]+)\/(?:src|dist)\/(.+)$/.exec(url);
  const file = url === '' ? '' : url.startsWith('node:') ? url : ours !== null ? `${ours[1]}/${ours[2]}` : url.split('/').slice(-2).join('/');
  return `${functionName === '' ? '(anonymous)' : functionName}${file === '' ? '' : ` (${file})`}`;
}

/** Add the self time of `profile` to `into`, without idle time and the inspector's own `dispatch` (not a request's work). */
export function addProfile(into: SelfTimes, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = byId.get(profile.samples[i]!)!;
    if (frame.functionName === '(idle)' || (frame.functionName === 'dispatch' && frame.url === '')) continue;
    const us = profile.timeDeltas[i] ?? 0;
    const key = functionKey(frame.functionName, frame.url);
    const entry = into.functions.get(key) ?? { owner: ownerOf(frame.functionName, frame.url), us: 0 };
    entry.us += us;
    into.functions.set(key, entry);
    into.owners.set(entry.owner, (into.owners.get(entry.owner) ?? 0) + us);
  }
}

/** One function's time per request on our side and on the other (the floor, or the incumbent), ns. */
export type FunctionDelta = { readonly key: string; readonly owner: Owner; readonly ours: number; readonly other: number };
/** What a side costs per request, in total (idle excluded) and per owner, ns. */
export type SideSummary = ReturnType<typeof summarize>;

export function summarize(s: SelfTimes) {
  const owners: Partial<Record<Owner, number>> = {};
  let total = 0;
  for (const [o, us] of s.owners) {
    owners[o] = (us * 1000) / s.requests;
    total += us;
  }
  return { requests: s.requests, total: (total * 1000) / s.requests, owners };
}

/** The functions whose time per request differs most between `ours` and `other` (largest extra first). */
export function topDeltas(ours: SelfTimes, other: SelfTimes, count: number): FunctionDelta[] {
  const keys = new Set([...ours.functions.keys(), ...other.functions.keys()]);
  const rows = [...keys].map((key): FunctionDelta => {
    const [a, b] = [ours.functions.get(key), other.functions.get(key)];
    return { key, owner: (a ?? b)!.owner, ours: ((a?.us ?? 0) * 1000) / ours.requests, other: ((b?.us ?? 0) * 1000) / other.requests };
  });
  return rows.sort((x, y) => y.ours - y.other - (x.ours - x.other)).slice(0, count);
}
