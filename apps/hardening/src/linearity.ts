/**
 * Linearity check of the CORS layer on hostile Access-Control-Request-Headers values.
 *
 *   pnpm --filter @preflight/hardening linearity [--quick]
 *
 * Times one preflight decision for ACRH values of 1 KiB to 15 KiB (15 KiB is about the most
 * that fits under Node's default 16 KiB header limit) in several shapes, and prints the time
 * per request and per byte. Per-request work is linear when ns/byte stays flat (or falls:
 * values over the core's 8 KiB cap are refused after a length check) as the size grows; a
 * quadratic parser would show ns/byte growing with the size.
 *
 * Two layers are timed, in this process:
 * - `decide`: the core's `policy.decide(view)` with an origin predicate, which is never cached,
 *   so every call parses the whole value (a static origin list would cache values ≤ 1 KiB);
 * - `node mw`: the cors-node middleware on real `IncomingMessage`/`ServerResponse` objects (no
 *   socket), i.e. decision plus writing the headers; its fixed cost per request is larger.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { compileCors, type CorsOptions, type CorsRequest } from '@preflight/cors-core';
import { cors } from '@preflight/cors-node';

const quick = process.argv.includes('--quick');
const ORIGIN = 'https://app.example.com';
const options: CorsOptions = { origin: (origin) => origin === ORIGIN, credentials: true };
const policy = compileCors(options);
const middleware = cors(options);

/** Cut to `size` bytes; a name cut after its "-" or a trailing "," gets a last letter instead. */
const cut = (s: string, size: number): string => {
  const out = s.slice(0, size);
  return /[,-]$/.test(out) ? `${out.slice(0, -1)}b` : out;
};

/** ACRH shapes, each exactly `size` bytes. */
const shapes: Record<string, (size: number) => string> = {
  commas: (size) => ','.repeat(size),
  'space-comma': (size) => ', '.repeat(Math.ceil(size / 2)).slice(0, size),
  'one name repeated': (size) => cut('x-a,'.repeat(Math.ceil(size / 4)), size),
  'commas then invalid': (size) => `${','.repeat(size - 1)}(`,
  'distinct names': (size) => {
    let out = '';
    for (let i = 0; out.length < size; i++) out += `${out === '' ? '' : ','}x-${i}`;
    return cut(out, size);
  },
};

const SIZES_KIB = [1, 2, 4, 6, 8, 10, 12, 14, 15];

function view(acrh: string): CorsRequest {
  return { method: 'OPTIONS', origin: ORIGIN, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: acrh };
}

/** Fastest ns per call of `fn` over 7 batches of about `budgetMs / 4` each (the least disturbed by other load). */
function time(fn: () => void, budgetMs: number): number {
  for (let i = 0; i < 200; i++) fn(); // warm-up (JIT)
  // Calibrate the batch size to the budget.
  let n = 100;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= budgetMs / 4 || n >= 1 << 22) break;
    n *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return Math.min(...samples);
}

const socket = new Socket();
function throughMiddleware(acrh: string): () => void {
  return () => {
    const req = new IncomingMessage(socket);
    req.method = 'OPTIONS';
    req.headers = { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': acrh };
    const res = new ServerResponse(req);
    middleware(req, res, () => {});
  };
}

const budget = quick ? 20 : 60;
const pad = (s: string, n: number): string => s.padStart(n);
console.log(`CORS layer time per preflight by Access-Control-Request-Headers size (${process.version}, best of 7 batches)`);
for (const [shape, make] of Object.entries(shapes)) {
  console.log(`\n${shape}`);
  console.log(`${pad('size', 8)} ${pad('decide ns', 11)} ${pad('ns/byte', 8)} ${pad('node mw ns', 11)} ${pad('ns/byte', 8)}  outcome`);
  for (const kib of SIZES_KIB) {
    const size = kib * 1024;
    const acrh = make(size);
    if (acrh.length !== size) throw new Error(`shape ${shape} made ${acrh.length} bytes, not ${size}`);
    const v = view(acrh);
    const decision = policy.decide(v);
    if (decision instanceof Promise) throw new Error('the benchmark policy must decide synchronously');
    const outcome = decision.allowed ? 'allowed' : (decision.refusal?.code ?? 'refused');
    const ns = time(() => void policy.decide(v), budget);
    const mw = time(throughMiddleware(acrh), budget);
    console.log(`${pad(`${kib} KiB`, 8)} ${pad(ns.toFixed(0), 11)} ${pad((ns / size).toFixed(3), 8)} ${pad(mw.toFixed(0), 11)} ${pad((mw / size).toFixed(3), 8)}  ${outcome}`);
  }
}
