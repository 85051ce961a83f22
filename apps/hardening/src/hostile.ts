/**
 * Hostile requests, as bytes, with what must happen to each one.
 *
 * What Node's HTTP parser (llhttp, shared by every adapter here: all of them run on
 * node:http) does with them, found by sending them:
 * - a head over 16 KiB (`--max-http-header-size`, default 16384) → `431`, connection closed;
 * - CR or LF alone inside a value, NUL, other control characters (0x01–0x08, 0x0B–0x1F,
 *   0x7F), obsolete line folding (a line starting with SP/HTAB), a space before the colon,
 *   a lower-case or unknown method → `400`, connection closed;
 * - CRLF inside a value simply ends the line: what follows is a header line of its own;
 * - bytes 0x80–0xFF are kept, and reach the application as latin1 characters;
 * - repeated lines of `Origin`, `Access-Control-Request-*` are joined with `", "`.
 * Requests the parser lets through reach the CORS layer, whose answer must be the core's.
 */
import type { CorsOptions, CorsRequest } from '@preflight/cors-core';
import { requestBytes, type RawHeader } from './raw.js';

/** The configuration of the hostile suite: reflective on purpose (credentials, ACRH reflected). */
export const HOSTILE_OPTIONS: CorsOptions = Object.freeze({
  origin: ['https://app.example.com', 'https://*.example.com'],
  credentials: true,
  exposedHeaders: ['X-Request-Id'],
  maxAge: 600,
});

export const ALLOWED = 'https://app.example.com';

/** One hostile request. */
export interface HostileCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly bytes: Buffer;
  /**
   * `parser`: Node's parser refuses it with a 4xx before any middleware runs.
   * Otherwise the request view the CORS layer receives (to compute the core's decision).
   */
  readonly expect: 'parser' | CorsRequest;
  /** Substrings (case-sensitive) that must appear in no response header line. */
  readonly markers: readonly string[];
}

const ACRM = 'Access-Control-Request-Method';
const ACRH = 'Access-Control-Request-Headers';

function build(name: string, method: string, headers: readonly RawHeader[], expect: HostileCase['expect'], markers: readonly string[] = []): HostileCase {
  return { name, method, path: '/echo', bytes: requestBytes(method, '/echo', headers), expect, markers };
}

/** A preflight carrying `headers` after Origin/ACRM defaults. */
const preflightView = (origin: string | undefined, acrm: string | undefined, acrh?: string): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  accessControlRequestMethod: acrm,
  accessControlRequestHeaders: acrh,
});

/**
 * Origin values a browser never sends, each tried as an actual request and as a preflight.
 * [name, bytes on the wire, what the parser delivers ('parser' when it refuses), markers]
 */
const ORIGINS: ReadonlyArray<readonly [string, string | Buffer, string | 'parser', readonly string[]]> = [
  ['CRLF then a forged response header', `${ALLOWED}\r\nAccess-Control-Allow-Origin: https://evil.test`, ALLOWED, ['evil.test']],
  ['CRLF then X-Injected', 'https://evil.test\r\nX-Injected: 1', 'https://evil.test', ['evil.test', 'X-Injected', 'x-injected']],
  ['bare CR', `${ALLOWED}\rX-Injected: 1`, 'parser', ['X-Injected']],
  ['bare LF', `${ALLOWED}\nX-Injected: 1`, 'parser', ['X-Injected']],
  ['obsolete line folding', `${ALLOWED}\r\n X-Injected: 1`, 'parser', ['X-Injected']],
  ['NUL at the end', `${ALLOWED}\0`, 'parser', ['\0']],
  ['NUL inside', 'https://app\0.example.com', 'parser', ['\0']],
  ['control character 0x01', `${ALLOWED}\x01`, 'parser', ['\x01']],
  ['DEL 0x7F', `${ALLOWED}\x7f`, 'parser', ['\x7f']],
  ['latin1 byte ä (0xE4)', 'https://\xe4pp.example.com', 'https://\xe4pp.example.com', ['\xe4']],
  ['UTF-8 ä under an allowed pattern', Buffer.from('https://ä.example.com', 'utf8'), Buffer.from('https://ä.example.com', 'utf8').toString('latin1'), ['\xc3']],
  ['byte 0xFF', `${ALLOWED}\xff`, `${ALLOWED}\xff`, ['\xff']],
  ['64 KiB', `https://${'a'.repeat(64 * 1024)}.example.com`, 'parser', ['aaaaaaaaaaaaaaaa']],
  ['15 KiB under an allowed pattern', `https://${'a.'.repeat(7500)}example.com`, `https://${'a.'.repeat(7500)}example.com`, ['a.a.a.a.a.a.a.a.']],
  ['userinfo', 'https://user:pass@app.example.com', 'https://user:pass@app.example.com', ['user:pass']],
  ['userinfo hiding another host', 'https://app.example.com@evil.test', 'https://app.example.com@evil.test', ['evil.test']],
  ['backslash', 'https://app.example.com\\@evil.test', 'https://app.example.com\\@evil.test', ['evil.test', '\\']],
  ['path', 'https://app.example.com/path', 'https://app.example.com/path', ['/path']],
  ['dot segments', 'https://app.example.com/../evil', 'https://app.example.com/../evil', ['/../']],
  ['query', 'https://app.example.com?x=1', 'https://app.example.com?x=1', ['?x=1']],
  ['percent-encoded CRLF', 'https://app.example.com%0d%0aX-Injected:%201', 'https://app.example.com%0d%0aX-Injected:%201', ['%0d', 'X-Injected']],
  ['upper case', 'HTTPS://APP.EXAMPLE.COM', 'HTTPS://APP.EXAMPLE.COM', ['APP.EXAMPLE']],
  ['mixed case host', 'https://App.Example.com', 'https://App.Example.com', ['App.Example']],
  ['default port', 'https://app.example.com:443', 'https://app.example.com:443', [':443']],
  ['trailing dot', 'https://app.example.com.', 'https://app.example.com.', ['example.com.']],
  ['trailing slash', 'https://app.example.com/', 'https://app.example.com/', ['example.com/']],
  ['tab inside', `${ALLOWED}\tx`, `${ALLOWED}\tx`, ['\t']],
  ['the string null', 'null', 'null', ['null']],
  ['a list', `${ALLOWED} https://evil.test`, `${ALLOWED} https://evil.test`, ['evil.test']],
  ['wildcard', '*', '*', []],
  ['empty', '', '', []],
];

const ORIGIN_CASES: HostileCase[] = ORIGINS.flatMap(([label, wire, delivered, markers]) => [
  build(`Origin ${label} (actual request)`, 'GET', [['Origin', wire]], delivered === 'parser' ? 'parser' : { method: 'GET', origin: delivered }, markers),
  build(
    `Origin ${label} (preflight)`,
    'OPTIONS',
    [
      ['Origin', wire],
      [ACRM, 'PUT'],
      [ACRH, 'content-type'],
    ],
    delivered === 'parser' ? 'parser' : preflightView(delivered, 'PUT', 'content-type'),
    markers,
  ),
]);

const COMMAS_1MIB = ','.repeat(1024 * 1024);
const NAMES_100K = Array.from({ length: 100_000 }, (_, i) => `h${i}`).join(',');
const COMMAS_15KIB = ','.repeat(15 * 1024);

const ACRH_CASES: HostileCase[] = [
  build('ACRH: 1 MiB of commas', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, COMMAS_1MIB]], 'parser'),
  build('ACRH: 100,000 names', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, NAMES_100K]], 'parser', ['h99999']),
  build('ACRH: 15 KiB of commas (under the 16 KiB head limit)', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, COMMAS_15KIB]], preflightView(ALLOWED, 'PUT', COMMAS_15KIB)),
  build('ACRH: 8192 commas (at the parser cap)', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, ','.repeat(8192)]], preflightView(ALLOWED, 'PUT', ','.repeat(8192))),
  build('ACRH: 15 KiB of one repeated name', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'x-a,'.repeat(3800)]], preflightView(ALLOWED, 'PUT', 'x-a,'.repeat(3800)), ['x-a,x-a']),
  build('ACRH: 8 KiB of one repeated name', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'x-a,'.repeat(2000)]], preflightView(ALLOWED, 'PUT', 'x-a,'.repeat(2000)), ['x-a,x-a']),
  ((): HostileCase => {
    const names = Array.from({ length: 1000 }, (_, i) => `x-${i}`).join(',');
    return build('ACRH: 1000 distinct names in 6 KiB', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, names]], preflightView(ALLOWED, 'PUT', names), ['x-999', 'x-200']);
  })(),
  build('ACRH: 15 KiB of spaces and commas', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, `a${' ,'.repeat(7600)}b`]], preflightView(ALLOWED, 'PUT', `a${' ,'.repeat(7600)}b`)),
  build('ACRH: two lines', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'content-type'], [ACRH, 'x-custom']], preflightView(ALLOWED, 'PUT', 'content-type, x-custom')),
  build('ACRH: CRLF then a forged header', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'content-type\r\nX-Injected: 1']], preflightView(ALLOWED, 'PUT', 'content-type'), ['X-Injected', 'x-injected']),
  build('ACRH: obsolete line folding', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'content-type,\r\n\tx-custom']], 'parser'),
  build('ACRH: NUL', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'content-type\0']], 'parser'),
  build('ACRH: latin1 byte', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'x-\xe9']], preflightView(ALLOWED, 'PUT', 'x-\xe9'), ['\xe9']),
  build('ACRH: separators', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'x(y), a b, c;d, "e"']], preflightView(ALLOWED, 'PUT', 'x(y), a b, c;d, "e"'), ['x(y)', 'a b', 'c;d', '"e"']),
  build('ACRH: header-injection text', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRH, 'x-a: 1']], preflightView(ALLOWED, 'PUT', 'x-a: 1'), ['x-a: 1']),
];

/** Access-Control-Request-Method values that are not a method token, or not allowed. */
const ACRMS: ReadonlyArray<readonly [string, string | 'parser', readonly string[]]> = [
  ['PU T', 'PU T', ['PU T']],
  ['PUT,DELETE', 'PUT,DELETE', ['PUT,DELETE']],
  ['PUT DELETE', 'PUT DELETE', ['PUT DELETE']],
  ['(', '(', ['(']],
  ['', '', []],
  ['put', 'put', []],
  ['P\xdcT', 'P\xdcT', ['\xdc']],
  ['PUT\x0b', 'parser', ['\x0b']],
  ['PUT\r\nX-Injected: 1', 'PUT', ['X-Injected', 'x-injected']],
  ['A'.repeat(8000), 'A'.repeat(8000), ['AAAAAAAAAAAAAAAAAAAA']],
];

const ACRM_CASES: HostileCase[] = [
  ...ACRMS.map(([wire, delivered, markers]) =>
    build(
      `ACRM ${JSON.stringify(wire.length > 30 ? `${wire.slice(0, 10)}…(${wire.length})` : wire)}`,
      'OPTIONS',
      [
        ['Origin', ALLOWED],
        [ACRM, wire],
      ],
      delivered === 'parser' ? 'parser' : preflightView(ALLOWED, delivered),
      markers,
    ),
  ),
  build('ACRM: two lines', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT'], [ACRM, 'DELETE']], preflightView(ALLOWED, 'PUT, DELETE')),
  build('ACRM: obsolete line folding', 'OPTIONS', [['Origin', ALLOWED], [ACRM, 'PUT\r\n DELETE']], 'parser'),
];

const DUPLICATE_CASES: HostileCase[] = [
  build('Origin: two equal lines', 'GET', [['Origin', ALLOWED], ['Origin', ALLOWED]], { method: 'GET', origin: `${ALLOWED}, ${ALLOWED}` }),
  build('Origin: allowed then evil', 'GET', [['Origin', ALLOWED], ['Origin', 'https://evil.test']], { method: 'GET', origin: `${ALLOWED}, https://evil.test` }, ['evil.test']),
  build('Origin: evil then allowed', 'GET', [['Origin', 'https://evil.test'], ['Origin', ALLOWED]], { method: 'GET', origin: `https://evil.test, ${ALLOWED}` }, ['evil.test']),
  build('Origin: two lines on a preflight', 'OPTIONS', [['Origin', ALLOWED], ['Origin', 'https://evil.test'], [ACRM, 'PUT']], preflightView(`${ALLOWED}, https://evil.test`, 'PUT'), ['evil.test']),
  build('Origin: lower-case header name', 'GET', [['origin', ALLOWED]], { method: 'GET', origin: ALLOWED }),
  build('Origin: upper-case header name', 'GET', [['ORIGIN', ALLOWED]], { method: 'GET', origin: ALLOWED }),
];

const RAW_CASES: HostileCase[] = [
  {
    name: 'space before the colon',
    method: 'GET',
    path: '/echo',
    bytes: Buffer.from(`GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nOrigin : ${ALLOWED}\r\n\r\n`, 'latin1'),
    expect: 'parser',
    markers: [],
  },
  {
    name: 'no space after the colon',
    method: 'GET',
    path: '/echo',
    bytes: Buffer.from(`GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nOrigin:${ALLOWED}\r\n\r\n`, 'latin1'),
    expect: { method: 'GET', origin: ALLOWED },
    markers: [],
  },
  {
    name: 'a lower-case method',
    method: 'options',
    path: '/echo',
    bytes: requestBytes('options', '/echo', [['Origin', ALLOWED], [ACRM, 'PUT']]),
    expect: 'parser',
    markers: [],
  },
  {
    name: 'an unknown method',
    method: 'BREW',
    path: '/echo',
    bytes: requestBytes('BREW', '/echo', [['Origin', ALLOWED]]),
    expect: 'parser',
    markers: [],
  },
];

/** Every hostile case. */
export const hostileCases: readonly HostileCase[] = [...ORIGIN_CASES, ...ACRH_CASES, ...ACRM_CASES, ...DUPLICATE_CASES, ...RAW_CASES];
