/** Details: the real servers, driven in-process ("direct") and over loopback (autocannon). */
import { SERVERS, type Kind, type ServerFramework, type Variant } from '../server/apps.js';
import { max, median, min, summarize } from '../stats.js';
import { int, notRun, opening, ratio, rangeText, table } from './format.js';
import type { Results } from './load.js';
import { direct, loopback, serverFrameworks } from './lookup.js';

const DIRECT_INTRO =
  'The same server applications as the autocannon part (real node:http, Express 5, Fastify 5, Koa, NestJS 11, Hono, hapi, h3), driven in one process through their own `request` listener ' +
  'with real `IncomingMessage`/`ServerResponse` objects over an in-memory socket, 50 requests in flight. Only the kernel loopback and the parsing of the request are left out; ' +
  'the framework, the CORS layer and the serialization of the response head are all there. All variants of a framework share one process and are measured round by round in a rotating order, ' +
  'so a slow stretch of the machine hits a whole round. Ratios are throughput ratios (the other side\'s time ÷ ours) per round: median, range over rounds, and the ratio of each side\'s fastest round.';
const LOOPBACK_INTRO =
  'Ratios of runs taken in the same interleaved repetition; median, and in brackets the range over repetitions. ' +
  'Throughput ratios above 1× mean ours serves more requests per second; the CPU ratio is the server\'s CPU time per request (below 1× ours costs less).';

const UNSATURATED =
  '> ⚠️ In some runs the server used less than 90 % of its core: the load generator (or the machine) was the bottleneck there, so throughput understates the difference between variants. The CPU-per-request ratios are the better guide for those rows.';

/** A column of ratios: variant a ÷ variant b of `metric` (throughput by default) for one kind of request. */
type Column = readonly [kind: Kind, a: Variant, b: Variant, name?: string, metric?: 'cpuUsPerRequest'];
/** The columns both server parts show first: the cost over bare and the floor, split into the framework's share and ours. */
const SIMPLE_COLUMNS: readonly Column[] = [
  ['simple', 'ours', 'bare'], ['simple', 'floor', 'bare'], ['simple', 'ours', 'floor'], ['simple', 'minimum', 'floor'], ['simple', 'ours', 'minimum'],
];
const DIRECT_COLUMNS: readonly Column[] = [...SIMPLE_COLUMNS, ['simple', 'ours', 'incumbent'], ['preflight', 'ours', 'incumbent']];
const LOOPBACK_COLUMNS: readonly Column[] = [
  ...SIMPLE_COLUMNS, ['simple', 'incumbent', 'bare'], ['simple', 'ours', 'incumbent'], ['preflight', 'ours', 'incumbent'],
  ['simple', 'ours', 'bare', 'CPU per simple request: ours ÷ bare', 'cpuUsPerRequest'],
  ['preflight', 'ours', 'incumbent', 'CPU per preflight: ours ÷ incumbent', 'cpuUsPerRequest'],
];

function ratioTable(frameworks: readonly ServerFramework[], columns: readonly Column[], cell: (f: ServerFramework, column: Column) => string): string[] {
  const header = ['Framework', ...columns.map(([kind, a, b, name]) => name ?? `${kind}: ${a} ÷ ${b}`)];
  return table(header, frameworks.map((f) => [f, ...columns.map((column) => cell(f, column))]));
}

const variantName = (f: ServerFramework, variant: Variant): string => ({
  bare: 'bare', floor: 'floor (headers by hand)', minimum: 'framework minimum (floor + what the framework requires)',
  incumbent: SERVERS[f].incumbent, ours: `ours: ${SERVERS[f].ours}`,
})[variant];

export function directSection(r: Results): string[] {
  if (r.direct === undefined) return notRun('### Server cost, measured in-process', 'direct');
  const us = (v: number): string => (v / 1000).toFixed(2);
  const body = r.direct.results.flatMap((result) => [
    ...result.rows.map((row) => [row.framework, row.kind, variantName(row.framework, row.variant), `${us(median(row.rounds))} (${us(min(row.rounds))} – ${us(max(row.rounds))})`]),
    ...(result.problems.length > 0 ? [[result.framework, '', '⚠️', result.problems.join('; ')]] : []),
  ]);
  return [
    ...opening('### Server cost per request, measured in-process ("direct")', r.direct.meta, DIRECT_INTRO),
    ...ratioTable(serverFrameworks(r, 'direct'), DIRECT_COLUMNS, (f, [kind, a, b]) => {
      const p = direct(r, f, kind, a, b);
      return p === undefined ? '–' : `${rangeText(p)}; fastest rounds ${ratio(p.fastest)}`;
    }),
    '',
    ...table(['Framework', 'Request', 'Variant', 'µs per request, median (fastest round – slowest round)'], body),
    '',
  ];
}

export function loopbackSection(r: Results): string[] {
  if (r.server === undefined) return notRun('### Server throughput', 'server');
  const rows = r.server.rows;
  const busy = rows.map((row) => row.runs.map((x) => x.serverCpu).filter((x) => x !== undefined));
  const body = rows.map((row, i) => {
    const non2xx = row.runs.reduce((a, x) => a + x.non2xx, 0);
    const errors = row.runs.reduce((a, x) => a + x.errors, 0);
    const problems = [row.problem, non2xx > 0 ? `${int(non2xx)} non-2xx` : undefined, errors > 0 ? `${int(errors)} errors` : undefined].filter((x) => x !== undefined);
    return [
      row.framework,
      row.kind,
      variantName(row.framework, row.variant),
      rangeText(summarize(row.runs.map((x) => x.rps)), int, ''),
      rangeText(summarize(row.runs.map((x) => x.cpuUsPerRequest).filter((x) => x !== undefined)), (v) => v.toFixed(1), ''),
      row.runs.length > 0 ? `${median(row.runs.map((x) => x.p50)).toFixed(1)} / ${median(row.runs.map((x) => x.p99)).toFixed(1)}` : '–',
      busy[i]!.length > 0 ? `${(median(busy[i]!) * 100).toFixed(0)} %` : '–',
      problems.length > 0 ? `⚠️ ${problems.join(', ')}` : '',
    ];
  });
  const unsaturated = busy.some((x) => x.length > 0 && median(x) < 0.9);
  const pinned = r.server.meta.pinned ? 'autocannon on core 0, servers on core 1 (taskset)' : 'not pinned';
  return [
    ...opening('### Server throughput (autocannon over 127.0.0.1)', r.server.meta, LOOPBACK_INTRO, ` · ${pinned}`),
    ...ratioTable(serverFrameworks(r, 'server'), LOOPBACK_COLUMNS, (f, [kind, a, b, , metric]) => rangeText(loopback(r, f, kind, a, b, metric))),
    '',
    '#### Server: absolute figures',
    '',
    ...table(['Framework', 'Request', 'Variant', 'req/s, median (min–max)', 'server CPU µs/request', 'latency p50 / p99 (ms)', 'server CPU busy', 'problems'], body),
    '',
    ...(unsaturated ? [UNSATURATED, ''] : []),
  ];
}
