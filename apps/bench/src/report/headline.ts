// The table the report opens with: one row per framework, ours ÷ incumbent and ours ÷ floor (time per request) for a simple request
// and a preflight. In-process figures where the framework has them, else the "direct" server part's, else the loopback part's CPU time.
import { SERVERS, type Kind, type ServerFramework, type Variant } from '../server/apps.js';
import { processesOf, ratio, table } from './format.js';
import type { Results } from './load.js';
import { direct, HEADLINE_CASES, incumbentName, inprocFrameworks, loopback, oursOverFloor, oursOverIncumbent, serverFrameworks } from './lookup.js';

/** How each framework is named in the headline, in the order rows appear. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  node: 'node:http', express: 'Express', fastify: 'Fastify', koa: 'Koa', 'nest-express': 'NestJS (Express)',
  'nest-fastify': 'NestJS (Fastify)', hono: 'Hono', fetch: 'fetch (Request → Response)', hapi: 'hapi', h3: 'h3',
};

const FOOTNOTES =
  '¹ In-process: the layer in its framework, in one process, over stub request/response objects (node; the real Fastify and Koa on them) or real ones (fetch, Hono, NestJS), the sides taking turns batch by batch (paired), simple allowed request and preflight with 10 allowed origins; ours ÷ incumbent net of a no-op baseline for a simple request (the layers\' own time; raw where the baseline is most of a side\'s time: NestJS on Express) and raw for a preflight (the baseline runs the route, which a preflight answered by a layer never reaches: nothing to subtract), ours ÷ floor raw. ' +
  '² "direct": the real server application (framework + layer) driven in one process through its `request` listener, rounds interleaved; whole-request time, so ratios sit near 1×; no preflight floor (a bare framework does not answer preflights). ' +
  '³ Over loopback with autocannon: server CPU time per request.';

/** A headline row: the incumbent; simple ÷ incumbent, simple ÷ floor, preflight ÷ incumbent, preflight ÷ floor; the source. */
function headlineRow(r: Results, f: string, inprocess: boolean): [incumbent: string | undefined, ratios: (number | undefined)[], source: string] {
  if (inprocess) {
    const rows = r.inprocess?.rows;
    const ratios = Object.values(HEADLINE_CASES).flatMap((c) => [oursOverIncumbent(rows, f, c), oursOverFloor(rows, f, c)]);
    return [incumbentName(f), ratios, 'in-process¹'];
  }
  const s = f as ServerFramework;
  if (r.direct?.results.some((x) => x.framework === s) === true) {
    // Throughput X ÷ ours per round = ours' time ÷ X's time.
    const d = (kind: Kind, other: Variant): number | undefined => direct(r, s, kind, other, 'ours')?.median;
    return [SERVERS[s].incumbent, [d('simple', 'incumbent'), d('simple', 'floor'), d('preflight', 'incumbent'), undefined], 'direct²'];
  }
  const c = (kind: Kind, other: Variant): number | undefined => loopback(r, s, kind, 'ours', other, 'cpuUsPerRequest')?.median;
  // Without CPU figures for the preflight, the inverse of the throughput ratio.
  const throughput = loopback(r, s, 'preflight', 'incumbent', 'ours')?.median;
  const preflightRatio = c('preflight', 'incumbent') ?? (throughput === undefined || throughput <= 0 ? undefined : 1 / throughput);
  return [SERVERS[s].incumbent, [c('simple', 'incumbent'), c('simple', 'floor'), preflightRatio, undefined], 'loopback³'];
}

export function headlineSection(r: Results): string[] {
  const inproc = inprocFrameworks(r.inprocess?.rows);
  const servers = new Set<string>(serverFrameworks(r));
  const ids = [...new Set([...Object.keys(DISPLAY_NAMES), ...inproc, ...servers])].filter((f) => inproc.includes(f) || servers.has(f));
  if (ids.length === 0) return ['No results yet: run `pnpm bench`.', ''];
  const body = ids.map((f) => {
    const [incumbent, ratios, source] = headlineRow(r, f, inproc.includes(f));
    const cells = ratios.map((v, i) => (i % 2 === 0 && incumbent === undefined ? '—' : ratio(v)));
    return [DISPLAY_NAMES[f] ?? f, incumbent ?? '— (none)', ...cells, source];
  });
  const out = [
    ...table(['Framework', 'Incumbent', 'simple: ours ÷ incumbent', 'simple: ours ÷ floor', 'preflight: ours ÷ incumbent', 'preflight: ours ÷ floor', 'measured'], body),
    '',
    'Time per request, **ours ÷ the other side: below 1× ours is faster.** The *floor* is the least any correct CORS layer can cost there: the answer\'s headers written by hand, no CORS logic. "—": no incumbent to compare with.',
    '',
    FOOTNOTES,
    '',
  ];
  // Some framework has figures (ids), so one of these parts ran.
  const m = (r.inprocess ?? r.direct ?? r.server)!.meta.machine;
  const dates = [...new Set([r.inprocess, r.direct, r.server].filter((p) => p !== undefined).map((p) => p.meta.date.slice(0, 10)))];
  const node24 = r.inprocess24 === undefined ? '' : ` (and ${r.inprocess24.meta.machine.node} in-process)`;
  const machine =
    `**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node}${node24} · ${dates.join(', ')} · measured by \`pnpm bench\` ([apps/bench](../apps/bench)): ` +
    `each in-process case in ${processesOf(r.inprocess?.meta)} Node processes of its own (ratios: the median of theirs); every ratio from sides measured interleaved, side by side.`;
  return [...out, machine, ''];
}
