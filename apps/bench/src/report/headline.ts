/**
 * The table the report opens with: one row per framework, ours ÷ incumbent and ours ÷ floor
 * (time per request) for a simple request and a preflight. In-process figures where the
 * framework has them, else the "direct" server part's, else the loopback part's CPU time.
 */
import { SERVER_INCUMBENT, type ServerFramework } from '../server/apps.js';
import type { Summary } from '../stats.js';
import { ratio, table } from './format.js';
import type { Results } from './load.js';
import { direct, incumbentName, inprocFrameworks, loopback, cpu, oursOverFloor, oursOverIncumbent } from './lookup.js';

/** How each framework is named in the headline, in the order rows appear. */
export const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  node: 'node:http',
  express: 'Express',
  fastify: 'Fastify',
  koa: 'Koa',
  'nest-express': 'NestJS (Express)',
  'nest-fastify': 'NestJS (Fastify)',
  hono: 'Hono',
  fetch: 'fetch (Request → Response)',
  hapi: 'hapi',
  h3: 'h3',
};

/** The in-process cases of the headline. */
export const HEADLINE_CASES = { simple: 'simple-10', preflight: 'preflight-10' } as const;

/** One headline row: time ratios (below 1× = ours faster), and where they come from. */
export interface HeadlineRow {
  readonly framework: string;
  readonly incumbent: string | undefined;
  readonly simpleVsIncumbent: number | undefined;
  readonly simpleVsFloor: number | undefined;
  readonly preflightVsIncumbent: number | undefined;
  readonly preflightVsFloor: number | undefined;
  readonly source: 'in-process' | 'direct' | 'loopback CPU';
}

const inverse = (s: Summary | undefined): number | undefined => (s === undefined || s.median <= 0 ? undefined : 1 / s.median);

/** The headline rows of every framework with data. */
export function headlineRows(r: Results): HeadlineRow[] {
  const inproc = inprocFrameworks(r.inprocess?.rows);
  const servers = new Set<string>([...(r.direct?.results ?? []).map((x) => x.framework), ...(r.server?.rows ?? []).map((x) => x.framework)]);
  const ids = [...new Set([...Object.keys(DISPLAY_NAMES), ...inproc, ...servers])].filter((f) => inproc.includes(f) || servers.has(f));
  return ids.map((f): HeadlineRow => {
    if (inproc.includes(f)) {
      const rows = r.inprocess?.rows;
      const incumbent = incumbentName(f);
      return {
        framework: f,
        incumbent,
        simpleVsIncumbent: incumbent === undefined ? undefined : oursOverIncumbent(rows, f, HEADLINE_CASES.simple),
        simpleVsFloor: oursOverFloor(rows, f, HEADLINE_CASES.simple),
        preflightVsIncumbent: incumbent === undefined ? undefined : oursOverIncumbent(rows, f, HEADLINE_CASES.preflight),
        preflightVsFloor: oursOverFloor(rows, f, HEADLINE_CASES.preflight),
        source: 'in-process',
      };
    }
    const s = f as ServerFramework;
    const incumbent = SERVER_INCUMBENT[s];
    if (r.direct?.results.some((x) => x.framework === s) === true) {
      // Throughput X ÷ ours per round = ours' time ÷ X's time.
      return {
        framework: f,
        incumbent,
        simpleVsIncumbent: direct(r, s, 'simple', 'incumbent', 'ours')?.median,
        simpleVsFloor: direct(r, s, 'simple', 'floor', 'ours')?.median,
        preflightVsIncumbent: direct(r, s, 'preflight', 'incumbent', 'ours')?.median,
        preflightVsFloor: undefined,
        source: 'direct',
      };
    }
    return {
      framework: f,
      incumbent,
      simpleVsIncumbent: loopback(r, s, 'simple', 'ours', 'incumbent', cpu)?.median,
      simpleVsFloor: loopback(r, s, 'simple', 'ours', 'floor', cpu)?.median,
      preflightVsIncumbent: loopback(r, s, 'preflight', 'ours', 'incumbent', cpu)?.median ?? inverse(loopback(r, s, 'preflight', 'incumbent', 'ours')),
      preflightVsFloor: undefined,
      source: 'loopback CPU',
    };
  });
}

/** The headline section: the table, its footnotes and the one line on the machine. */
export function headlineSection(r: Results): string[] {
  const rows = headlineRows(r);
  if (rows.length === 0) return ['No results yet: run `pnpm bench`.', ''];
  const withIncumbent = (row: HeadlineRow, v: number | undefined): string => (row.incumbent === undefined ? '—' : ratio(v));
  const out = table(
    ['Framework', 'Incumbent', 'simple: ours ÷ incumbent', 'simple: ours ÷ floor', 'preflight: ours ÷ incumbent', 'preflight: ours ÷ floor', 'measured'],
    rows.map((row) => [
      DISPLAY_NAMES[row.framework] ?? row.framework,
      row.incumbent ?? '— (none)',
      withIncumbent(row, row.simpleVsIncumbent),
      ratio(row.simpleVsFloor),
      withIncumbent(row, row.preflightVsIncumbent),
      ratio(row.preflightVsFloor),
      row.source === 'in-process' ? 'in-process¹' : row.source === 'direct' ? 'direct²' : 'loopback³',
    ]),
  );
  out.push(
    '',
    'Time per request, **ours ÷ the other side: below 1× ours is faster.** The *floor* is the least any correct CORS layer can cost there: the answer\'s headers written by hand, no CORS logic. "—": no incumbent to compare with.',
    '',
    '¹ In-process: the layer alone over stand-in request/response objects, the sides taking turns batch by batch (paired), simple allowed request and preflight with 10 allowed origins; ours ÷ incumbent net of a no-op baseline (the layers\' own time; raw where the baseline costs as much as our answer: a bare app whose route answers the preflight), ours ÷ floor raw. ' +
      '² "direct": the real server application (framework + layer) driven in one process through its `request` listener, rounds interleaved; whole-request time, so ratios sit near 1×; no preflight floor (a bare framework does not answer preflights). ' +
      '³ Over loopback with autocannon: server CPU time per request.',
    '',
  );
  const m = (r.inprocess ?? r.direct ?? r.server ?? r.alloc)?.meta.machine;
  if (m !== undefined) {
    const dates = [...new Set([r.inprocess, r.direct, r.server].filter((p) => p !== undefined).map((p) => p.meta.date.slice(0, 10)))];
    out.push(
      `**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node}${r.inprocess24 === undefined ? '' : ` (and ${r.inprocess24.meta.machine.node} in-process)`} · ${dates.join(', ')} · ` +
        'measured by `pnpm bench` ([apps/bench](../apps/bench)): each in-process case in its own Node process; every ratio from sides measured interleaved, side by side.',
      '',
    );
  }
  return out;
}
