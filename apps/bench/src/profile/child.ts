// Profile one target in a process of its own (JSON `{ target, settings }`): ours, the other side and, against the floor,
// the framework minimum, under V8's sampling profiler (`node:inspector`), taking turns in short profiled slices.
import { Session } from 'node:inspector/promises';
import { caseById } from '../config.js';
import { handleBatch, prepareBatch } from '../inprocess/drivers.js';
import { setUpSide } from '../inprocess/run.js';
import { rotate } from '../stats.js';
import { addProfile, emptySelfTimes, summarize, topDeltas, type CpuProfile, type SelfTimes } from './attribute.js';
import type { ProfileResult, ProfileSettings, ProfileTarget } from './run.js';

type ProfiledSide = 'ours' | 'floor' | 'minimum' | 'incumbent';

/** Runs one side's batches (each resolving with its request count) for about `ms` milliseconds; how many requests. */
type Slice = (ms: number) => Promise<number>;
const slice = (batch: () => Promise<number>): Slice => async (ms) => {
  let n = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) n += await batch();
  return n;
};

async function inprocessSlice(target: Extract<ProfileTarget, { mode: 'in-process' }>, side: ProfiledSide): Promise<Slice> {
  const c = caseById(target.caseId);
  const { driver, async, problem } = await setUpSide(target.framework, side, c);
  if (driver === undefined || problem !== undefined) throw new Error(`${target.framework}/${side} on ${c.id}: ${problem}`);
  const units: unknown[] = new Array<unknown>(128);
  const pending = async ? new Array<void | Promise<void>>(units.length) : undefined;
  let cursor = 0;
  return slice(async () => {
    cursor = prepareBatch(driver, c, units, cursor);
    await handleBatch(driver, units, pending);
    return units.length;
  });
}

async function directSlice(target: Extract<ProfileTarget, { mode: 'direct' }>, side: ProfiledSide): Promise<Slice> {
  // Imported here: loading every server framework into an in-process target's process slows it down.
  const { SERVERS } = await import('../server/apps.js');
  const { CONCURRENCY, checkServer, directTarget, measure } = await import('../server/direct.js');
  const server = directTarget(await SERVERS[target.framework].start(side), side);
  const problem = await checkServer(server, target.kind);
  if (problem !== undefined) throw new Error(`${target.framework}: ${problem}`);
  return slice(async () => {
    await measure(server, target.kind, 1);
    return CONCURRENCY;
  });
}

const { target, settings } = JSON.parse(process.argv[2] ?? '{}') as { target: ProfileTarget; settings: ProfileSettings };
// Against the floor, the framework minimum too: it splits ours' extra time into the framework's share and ours.
const SIDES: readonly ProfiledSide[] = target.against === 'floor' ? ['ours', 'minimum', 'floor'] : ['ours', target.against];
const slices = new Map<ProfiledSide, Slice>();
for (const side of SIDES) slices.set(side, target.mode === 'in-process' ? await inprocessSlice(target, side) : await directSlice(target, side));
for (const side of SIDES) await slices.get(side)!(settings.warmupMs);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: settings.intervalUs });
const times = new Map<ProfiledSide, SelfTimes>(SIDES.map((s) => [s, emptySelfTimes()]));
for (let round = 0; round < settings.slices; round++) {
  for (const side of rotate(SIDES, round)) {
    await session.post('Profiler.start');
    const requests = await slices.get(side)!(settings.sliceMs);
    const { profile } = await session.post('Profiler.stop');
    times.get(side)!.requests += requests;
    addProfile(times.get(side)!, profile as unknown as CpuProfile);
  }
}
session.disconnect();
const [ours, other, minimum] = [times.get('ours')!, times.get(target.against)!, times.get('minimum')];
const result: ProfileResult = {
  target, ours: summarize(ours), other: summarize(other), top: topDeltas(ours, other, settings.top),
  ...(minimum === undefined ? {} : {
    minimum: { summary: summarize(minimum), framework: topDeltas(minimum, other, settings.top), ours: topDeltas(ours, minimum, settings.top) },
  }),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
