import { ENGINE_DIFFERENCES, ROUTES, TEST_FONT_ADVANCE_EM, TEST_IMAGE_COLOUR, TEST_IMAGE_SIZE, type EchoBody, type EngineId } from '@preflight/demo';
import type { EngineDifference, PolicyName } from './cases.js';
import type { RequestKind, RunSpec } from './support.js';

/**
 * One request of a kind other than fetch(): XMLHttpRequest, a web font, an image drawn to a
 * canvas or uploaded as a WebGL texture, a CSS shape. Run against every adapter.
 */
export interface KindCase {
  readonly id: string;
  readonly title: string;
  readonly kind: Exclude<RequestKind, 'fetch'>;
  readonly policy: PolicyName;
  /** The page the request comes from: the allowed origin or a sibling origin. Default `app`. */
  readonly from?: 'app' | 'other';
  /** `xhr` only. Default `GET`. */
  readonly method?: string;
  /** `xhr` only. */
  readonly headers?: Record<string, string>;
  /** `xhr` only: `include` sets `withCredentials`. Default `omit`. */
  readonly credentials?: RequestCredentials;
  readonly body?: string;
  /** `canvas` and `webgl`: the <img> crossorigin attribute. Default `anonymous`. */
  readonly crossOrigin?: RunSpec['crossOrigin'];
  readonly expect: {
    /** `resolved`: the page used the response; `rejected`: it could not. */
    readonly outcome: 'resolved' | 'rejected';
    /** What the page saw instead, when rejected. */
    readonly error?: RegExp;
    /** `xhr`: the status the page reads. */
    readonly status?: number;
    /** `xhr`: `getResponseHeader(name)` (null: not readable). */
    readonly headers?: Readonly<Record<string, string | null>>;
    /** `xhr`: fields of the /api/echo JSON the page reads. */
    readonly echo?: Partial<EchoBody>;
    /** The kind's own measurements (see runner.js), exact. */
    readonly observed?: Readonly<Record<string, string | number | boolean | null>>;
    /** Chromium's CORS error for the request (asserted in Chromium only); none when the request is allowed or not a CORS request. */
    readonly corsError?: string;
    /** What the API received, in order, as `METHOD status`. */
    readonly server: readonly string[];
    /** The refusal code Preflight reported (onRefusal), if any. */
    readonly refusal?: string;
    /** Whether the request (not the preflight) carried `Origin`: a CORS request, or a no-cors one. */
    readonly origin: 'sent' | 'absent';
    /** Whether the session cookie arrived with the request that is not a preflight. */
    readonly cookieSent: boolean;
  };
  /** Where an engine does otherwise, with the reason. */
  readonly engines?: Partial<Record<EngineId, EngineDifference<KindCase['expect']>>>;
}

/** The test image's opaque pixel, as the page reads it. */
const PIXEL = TEST_IMAGE_COLOUR.join(',');
/** Where the lines beside the floated test image start: at half its width with the shape, at its edge without. */
const SHAPE_APPLIED = Array(TEST_IMAGE_SIZE / 8).fill(TEST_IMAGE_SIZE / 2).join(',');
const SHAPE_IGNORED = Array(TEST_IMAGE_SIZE / 8).fill(TEST_IMAGE_SIZE).join(',');
/** Width of "Preflight" (9 characters) at 16px in the test font. */
const FONT_WIDTH = 9 * TEST_FONT_ADVANCE_EM * 16;

/** Reasons of WebKit's own expectations (one sentence each, shared with the playground). */
const WEBKIT_FONTS = ENGINE_DIFFERENCES.webkitFonts;
const WEBKIT_TIMING = ENGINE_DIFFERENCES.webkitResourceTiming;

/** The URL path each kind loads. */
export function kindPath(kind: KindCase['kind']): string {
  return kind === 'xhr' ? ROUTES.echo : kind === 'font' ? ROUTES.font : ROUTES.image;
}

export const KIND_CASES: readonly KindCase[] = [
  // --- XMLHttpRequest -------------------------------------------------------------------
  {
    id: 'xhr-allowed',
    title: 'XHR GET from the allowed origin: load event, exposed header readable, X-Secret not',
    kind: 'xhr',
    policy: 'strict',
    expect: {
      outcome: 'resolved',
      status: 200,
      headers: { 'x-request-id': '42', 'x-secret': null },
      echo: { method: 'GET', cookie: false },
      observed: { event: 'load', withCredentials: false },
      server: ['GET 200'],
      origin: 'sent',
      cookieSent: false,
    },
  },
  {
    id: 'xhr-credentials',
    title: 'XHR with withCredentials: the cookie goes out and the response is readable',
    kind: 'xhr',
    policy: 'strict',
    credentials: 'include',
    expect: { outcome: 'resolved', status: 200, echo: { cookie: true }, observed: { event: 'load', withCredentials: true }, server: ['GET 200'], origin: 'sent', cookieSent: true },
  },
  {
    id: 'xhr-refused',
    title: 'XHR from an origin not on the list: error event, status 0',
    kind: 'xhr',
    policy: 'strict',
    from: 'other',
    expect: {
      outcome: 'rejected',
      error: /^XMLHttpRequest error event \(status 0\)$/,
      observed: { event: 'error', withCredentials: false },
      corsError: 'MissingAllowOriginHeader',
      server: ['GET 200'],
      refusal: 'origin_not_allowed',
      origin: 'sent',
      cookieSent: false,
    },
  },
  {
    id: 'xhr-credentials-refused',
    title: 'XHR withCredentials from a refused origin: the cookie goes out, the answer stays unreadable',
    kind: 'xhr',
    policy: 'strict',
    from: 'other',
    credentials: 'include',
    expect: { outcome: 'rejected', observed: { event: 'error' }, corsError: 'MissingAllowOriginHeader', server: ['GET 200'], refusal: 'origin_not_allowed', origin: 'sent', cookieSent: true },
  },
  {
    id: 'xhr-preflighted',
    title: 'XHR PUT with JSON and X-Custom, withCredentials: preflighted (without the cookie), then readable',
    kind: 'xhr',
    policy: 'strict',
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Custom': 'xhr' },
    body: '{}',
    credentials: 'include',
    expect: { outcome: 'resolved', status: 200, echo: { method: 'PUT', custom: 'xhr', cookie: true }, server: ['OPTIONS 204', 'PUT 200'], origin: 'sent', cookieSent: true },
  },
  {
    id: 'xhr-preflight-refused',
    title: 'XHR with a header not on the list: the preflight fails, the GET is never sent',
    kind: 'xhr',
    policy: 'strict',
    headers: { 'X-Forbidden': '1' },
    expect: {
      outcome: 'rejected',
      observed: { event: 'error' },
      corsError: 'HeaderDisallowedByPreflightResponse',
      server: ['OPTIONS 204'],
      refusal: 'header_not_allowed',
      origin: 'sent',
      cookieSent: false,
    },
  },
  {
    id: 'xhr-wildcard-credentials',
    title: "XHR withCredentials against origin '*': the browser refuses '*' for credentialed requests",
    kind: 'xhr',
    policy: 'open',
    credentials: 'include',
    expect: { outcome: 'rejected', observed: { event: 'error' }, corsError: 'WildcardOriginNotAllowed', server: ['GET 200'], origin: 'sent', cookieSent: true },
  },
  // --- Web fonts (@font-face: CORS mode, credentials same-origin) -------------------------
  {
    id: 'font-allowed',
    title: '@font-face from the allowed origin: loaded and used; sent with Origin, without the cookie',
    kind: 'font',
    policy: 'strict',
    expect: { outcome: 'resolved', observed: { status: 'loaded', width: FONT_WIDTH }, server: ['GET 200'], origin: 'sent', cookieSent: false },
    engines: {
      webkit: {
        reason: WEBKIT_FONTS,
        expect: { origin: 'absent', cookieSent: true },
      },
    },
  },
  {
    id: 'font-refused',
    title: '@font-face from an origin not on the list: the font fails (status error), the fallback is used',
    kind: 'font',
    policy: 'strict',
    from: 'other',
    expect: {
      outcome: 'rejected',
      error: /^document\.fonts\.load: NetworkError/,
      observed: { status: 'error' },
      corsError: 'MissingAllowOriginHeader',
      server: ['GET 200'],
      refusal: 'origin_not_allowed',
      origin: 'sent',
      cookieSent: false,
    },
    engines: {
      webkit: {
        reason: WEBKIT_FONTS,
        expect: { outcome: 'resolved', error: undefined, observed: { status: 'loaded', width: FONT_WIDTH }, corsError: undefined, refusal: undefined, origin: 'absent', cookieSent: true },
      },
    },
  },
  {
    id: 'font-wildcard',
    title: "@font-face with origin '*': any origin loads it (fonts are fetched without credentials)",
    kind: 'font',
    policy: 'open',
    from: 'other',
    expect: { outcome: 'resolved', observed: { status: 'loaded', width: FONT_WIDTH }, server: ['GET 200'], origin: 'sent', cookieSent: false },
    engines: {
      webkit: {
        reason: WEBKIT_FONTS,
        expect: { origin: 'absent', cookieSent: true },
      },
    },
  },
  // --- <img crossorigin> drawn to a 2D canvas -------------------------------------------
  {
    id: 'canvas-allowed',
    title: '<img crossorigin="anonymous"> from the allowed origin: getImageData() and toDataURL() work',
    kind: 'canvas',
    policy: 'strict',
    expect: { outcome: 'resolved', observed: { crossOrigin: 'anonymous', loaded: true, pixel: PIXEL }, server: ['GET 200'], origin: 'sent', cookieSent: false },
  },
  {
    id: 'canvas-credentials',
    title: '<img crossorigin="use-credentials">: the cookie goes out, pixels readable (Allow-Credentials)',
    kind: 'canvas',
    policy: 'strict',
    crossOrigin: 'use-credentials',
    expect: { outcome: 'resolved', observed: { crossOrigin: 'use-credentials', loaded: true, pixel: PIXEL }, server: ['GET 200'], origin: 'sent', cookieSent: true },
  },
  {
    id: 'canvas-refused',
    title: '<img crossorigin="anonymous"> from an origin not on the list: the image does not load at all',
    kind: 'canvas',
    policy: 'strict',
    from: 'other',
    expect: {
      outcome: 'rejected',
      error: /^<img> error event/,
      observed: { crossOrigin: 'anonymous', loaded: false },
      corsError: 'MissingAllowOriginHeader',
      server: ['GET 200'],
      refusal: 'origin_not_allowed',
      origin: 'sent',
      cookieSent: false,
    },
  },
  {
    id: 'canvas-no-cors',
    title: '<img> without crossorigin: no CORS request (no Origin), it loads but taints the canvas: SecurityError',
    kind: 'canvas',
    policy: 'strict',
    crossOrigin: 'none',
    expect: {
      outcome: 'rejected',
      error: /^SecurityError: /, // the standard names the exception; its message is the engine's own
      observed: { crossOrigin: null, loaded: true, pixel: null },
      server: ['GET 200'],
      origin: 'absent',
      cookieSent: true,
    },
  },
  {
    id: 'canvas-wildcard-credentials',
    title: "<img crossorigin=\"use-credentials\"> against origin '*': refused by the browser, the image does not load",
    kind: 'canvas',
    policy: 'open',
    crossOrigin: 'use-credentials',
    expect: { outcome: 'rejected', observed: { loaded: false }, corsError: 'WildcardOriginNotAllowed', server: ['GET 200'], origin: 'sent', cookieSent: true },
  },
  // --- The same image as a WebGL texture ------------------------------------------------
  {
    id: 'webgl-allowed',
    title: 'WebGL texImage2D() with a CORS-approved image: accepted, its pixels read back',
    kind: 'webgl',
    policy: 'strict',
    expect: { outcome: 'resolved', observed: { loaded: true, texImage2D: 'accepted', pixel: PIXEL }, server: ['GET 200'], origin: 'sent', cookieSent: false },
  },
  {
    id: 'webgl-refused',
    title: 'WebGL, image from an origin not on the list: the image does not load, nothing to upload',
    kind: 'webgl',
    policy: 'strict',
    from: 'other',
    expect: { outcome: 'rejected', error: /^<img> error event/, observed: { loaded: false }, corsError: 'MissingAllowOriginHeader', server: ['GET 200'], refusal: 'origin_not_allowed', origin: 'sent', cookieSent: false },
  },
  {
    id: 'webgl-no-cors',
    title: 'WebGL texImage2D() with a no-cors (cross-origin) image: SecurityError',
    kind: 'webgl',
    policy: 'strict',
    crossOrigin: 'none',
    expect: {
      outcome: 'rejected',
      error: /^SecurityError: /,
      observed: { loaded: true, texImage2D: 'SecurityError' },
      server: ['GET 200'],
      origin: 'absent',
      cookieSent: true,
    },
  },
  // --- CSS shape-outside: url() (CORS mode, credentials same-origin) ---------------------
  {
    id: 'shape-allowed',
    title: 'shape-outside from the allowed origin: the shape applies (text wraps at the opaque half)',
    kind: 'shape',
    policy: 'strict',
    expect: { outcome: 'resolved', observed: { lineStarts: SHAPE_APPLIED, responseStatus: 200 }, server: ['GET 200'], origin: 'sent', cookieSent: false },
    engines: {
      webkit: {
        reason: WEBKIT_TIMING,
        expect: { observed: { lineStarts: SHAPE_APPLIED, responseStatus: null } },
      },
    },
  },
  {
    id: 'shape-refused',
    title: "shape-outside from an origin not on the list: ignored (text wraps at the float's box)",
    kind: 'shape',
    policy: 'strict',
    from: 'other',
    expect: {
      outcome: 'rejected',
      error: /^shape-outside ignored/,
      observed: { lineStarts: SHAPE_IGNORED, responseStatus: 0 },
      corsError: 'MissingAllowOriginHeader',
      server: ['GET 200'],
      refusal: 'origin_not_allowed',
      origin: 'sent',
      cookieSent: false,
    },
    engines: {
      webkit: {
        reason: WEBKIT_TIMING,
        expect: { observed: { lineStarts: SHAPE_IGNORED, responseStatus: null } },
      },
    },
  },
  {
    id: 'shape-wildcard',
    title: "shape-outside with origin '*': any origin gets the shape",
    kind: 'shape',
    policy: 'open',
    from: 'other',
    expect: { outcome: 'resolved', observed: { lineStarts: SHAPE_APPLIED }, server: ['GET 200'], origin: 'sent', cookieSent: false },
  },
];
