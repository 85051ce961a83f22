import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { CorsOptions, CorsRefusal } from '@preflight/cors-core';

/** What one API saw and answered for one request, recorded outside the framework. */
export interface RequestRecord {
  /** Order of arrival, per log. */
  readonly seq: number;
  readonly method: string;
  /** Path and query as received, e.g. `/api/echo?case=42`. */
  readonly url: string;
  readonly path: string;
  /** The `case` query parameter: how the page and the tests find their requests. */
  readonly caseId: string | null;
  readonly origin: string | null;
  readonly accessControlRequestMethod: string | null;
  readonly accessControlRequestHeaders: string | null;
  /** `preflight` (OPTIONS + Origin + Access-Control-Request-Method), `actual` (Origin) or `none`. */
  readonly kind: 'preflight' | 'actual' | 'none';
  /** Whether the request carried the demo's session cookie. */
  readonly cookie: boolean;
  /** Whether the request carried an `Authorization` header. */
  readonly authorization: boolean;
  /** Response status, once the response finished (0 before). */
  status: number;
  /** Response headers exactly as written on the wire, in order. */
  headers: Array<[name: string, value: string]>;
  /** Why Preflight refused the request, as reported through the `onRefusal` option. */
  refusal: CorsRefusal | null;
}

/** The session cookie the demo and the browser tests use. */
export const SESSION_COOKIE = 'preflight_session';

const MAX_RECORDS = 5000;

/** An in-memory, bounded log of the requests one API received. */
export class RequestLog {
  readonly #records: RequestRecord[] = [];
  #seq = 0;

  /** Every record still held, oldest first. */
  get records(): readonly RequestRecord[] {
    return this.#records;
  }

  /** Records whose `case` query parameter is `caseId`, oldest first. */
  byCase(caseId: string): RequestRecord[] {
    return this.#records.filter((r) => r.caseId === caseId);
  }

  /** How many preflights arrived for `caseId`. */
  preflights(caseId: string): number {
    return this.byCase(caseId).filter((r) => r.kind === 'preflight').length;
  }

  /** Forget everything. */
  clear(): void {
    this.#records.length = 0;
  }

  /** @internal */
  begin(req: IncomingMessage): RequestRecord {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const h = req.headers;
    const origin = single(h.origin);
    const acrm = single(h['access-control-request-method']);
    const record: RequestRecord = {
      seq: ++this.#seq,
      method: req.method ?? '',
      url,
      path: q === -1 ? url : url.slice(0, q),
      caseId: q === -1 ? null : new URLSearchParams(url.slice(q + 1)).get('case'),
      origin,
      accessControlRequestMethod: acrm,
      accessControlRequestHeaders: single(h['access-control-request-headers']),
      kind: origin === null ? 'none' : req.method === 'OPTIONS' && acrm !== null ? 'preflight' : 'actual',
      cookie: hasSessionCookie(h.cookie),
      authorization: h.authorization !== undefined,
      status: 0,
      headers: [],
      refusal: null,
    };
    this.#records.push(record);
    if (this.#records.length > MAX_RECORDS) this.#records.splice(0, this.#records.length - MAX_RECORDS);
    return record;
  }
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** True when a `Cookie` header carries the demo's session cookie. */
export function hasSessionCookie(cookie: string | undefined): boolean {
  if (cookie === undefined) return false;
  return cookie.split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`));
}

/** The request being handled, for `onRefusal` (which is not told which request it is). */
const current = new AsyncLocalStorage<RequestRecord>();

/**
 * The same CORS options, plus an `onRefusal` hook that writes the refusal reason into the
 * record of the request being handled (and still calls the caller's own hook).
 */
export function withRefusalLogging(options: CorsOptions): CorsOptions {
  const own = options.onRefusal;
  return {
    ...options,
    onRefusal(refusal, request) {
      const record = current.getStore();
      if (record !== undefined) record.refusal = refusal;
      own?.(refusal, request);
    },
  };
}

/**
 * Record every request `server` receives, before the framework sees it, and the response
 * head it wrote. The listener is prepended, so it runs first; `enterWith` makes the record
 * the current store for the framework's listener that runs next (see AsyncLocalStorage docs).
 */
export function recordRequests(server: Server, log: RequestLog): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const record = log.begin(req);
    current.enterWith(record);
    const done = (): void => {
      if (record.status !== 0) return;
      record.status = res.headersSent ? res.statusCode : 0;
      record.headers = parseHead((res as unknown as { _header?: unknown })._header);
    };
    res.once('finish', done);
    res.once('close', done);
  });
}

/** Parse the response head Node wrote (`res._header`): the exact header lines sent. */
function parseHead(head: unknown): Array<[string, string]> {
  if (typeof head !== 'string') return [];
  const out: Array<[string, string]> = [];
  const lines = head.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon > 0) out.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return out;
}
