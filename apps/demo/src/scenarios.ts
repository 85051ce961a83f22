import { ROUTES } from './apis/shared.js';
import { ENGINE_DIFFERENCES } from './engines/differences.js';
import type { EngineId } from './engines/types.js';

/**
 * How the page makes the request: `fetch()`, `XMLHttpRequest`, a web font (`@font-face`), an
 * `<img>` drawn to a 2D canvas or uploaded as a WebGL texture, or a CSS `shape-outside` image.
 */
export type RequestKind = 'fetch' | 'xhr' | 'font' | 'canvas' | 'webgl' | 'shape';

/** The `crossorigin` attribute of the `<img>` (`canvas` and `webgl`); `none`: no attribute, a no-cors request. */
export type ImageCrossOrigin = 'anonymous' | 'use-credentials' | 'none';

/** Where a playground request comes from. */
export type RequestFrom =
  /** The playground page's own origin, the one the policy allows. */
  | 'allowed'
  /** The second page origin, which the policy does not allow. */
  | 'other'
  /** A sandboxed iframe (`sandbox="allow-scripts"`): an opaque origin, sent as `Origin: null`. */
  | 'null';

/** One request, as the playground's form describes it. */
export interface PlaygroundRequest {
  readonly kind: RequestKind;
  readonly from: RequestFrom;
  readonly method: string;
  /** A route of the APIs, e.g. `/api/echo`. */
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** `fetch`; `xhr` (`include` sets `withCredentials`). Fonts and shapes always use `same-origin`. */
  readonly credentials: 'omit' | 'same-origin' | 'include';
  readonly body: string | null;
  readonly crossOrigin: ImageCrossOrigin;
}

/** A named request with the outcome every adapter must produce. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** One sentence: what it shows. */
  readonly note: string;
  readonly request: PlaygroundRequest;
  readonly expect: {
    /**
     * Whether the page's fetch() resolves (`allowed`) or rejects (`blocked`); for the other
     * kinds, whether the page gets to use the response (XHR load event, font loaded, pixels
     * readable, texture accepted, shape applied).
     */
    readonly browser: 'allowed' | 'blocked';
    /** The status the page reads, when allowed. */
    readonly status?: number;
    /** Where an engine does otherwise than the standard requires: its result, and why. */
    readonly engines?: Partial<Record<EngineId, { readonly browser: 'allowed' | 'blocked'; readonly status?: number; readonly reason: string }>>;
  };
}

const base: PlaygroundRequest = { kind: 'fetch', from: 'allowed', method: 'GET', path: ROUTES.echo, headers: [], credentials: 'omit', body: null, crossOrigin: 'anonymous' };
const font: PlaygroundRequest = { ...base, kind: 'font', path: ROUTES.font };
const image = (kind: 'canvas' | 'webgl' | 'shape'): PlaygroundRequest => ({ ...base, kind, path: ROUTES.image });
const json: ReadonlyArray<readonly [string, string]> = [['Content-Type', 'application/json']];

/** The playground's presets; `pnpm demo --check` runs them all against every adapter. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'simple-get',
    title: 'Simple GET',
    note: 'No preflight: GET with no custom header. The allowed origin reads the response.',
    request: base,
    expect: { browser: 'allowed', status: 200 },
  },
  {
    id: 'other-origin',
    title: 'Origin not on the list',
    note: 'The same GET from the second page origin: the API sends no Access-Control-Allow-Origin.',
    request: { ...base, from: 'other' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'null-origin',
    title: 'Sandboxed iframe (Origin: null)',
    note: 'Sandboxed frames, data: URLs and redirects send "null"; allowing it would allow all of them.',
    request: { ...base, from: 'null' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'put-json',
    title: 'PUT with a JSON body',
    note: 'PUT and Content-Type: application/json both need a preflight; the policy allows them.',
    request: { ...base, method: 'PUT', headers: json, body: '{"name":"Ada"}' },
    expect: { browser: 'allowed', status: 200 },
  },
  {
    id: 'custom-header',
    title: 'Allowed custom header',
    note: 'X-Custom is in allowedHeaders: the preflight lists it and the request goes through.',
    request: { ...base, method: 'POST', headers: [['X-Custom', 'hello']], body: 'hi' },
    expect: { browser: 'allowed', status: 200 },
  },
  {
    id: 'header-refused',
    title: 'Header not on the list',
    note: 'X-Forbidden is not allowed: the preflight does not list it, the browser never sends the request.',
    request: { ...base, headers: [['X-Forbidden', '1']] },
    expect: { browser: 'blocked' },
  },
  {
    id: 'method-refused',
    title: 'Method not on the list',
    note: 'PROPFIND is not in methods: the preflight fails.',
    request: { ...base, method: 'PROPFIND' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'lowercase-patch',
    title: 'fetch() with method "patch"',
    note: 'Browsers upper-case DELETE, GET, HEAD, OPTIONS, POST and PUT, never PATCH; methods compare case-sensitively.',
    request: { ...base, method: 'patch', headers: json, body: '{}' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'cookie',
    title: 'Credentialed request',
    note: 'credentials: "include" sends the session cookie; the API answers with Access-Control-Allow-Credentials.',
    request: { ...base, credentials: 'include' },
    expect: { browser: 'allowed', status: 200 },
  },
  {
    id: 'cookie-other-origin',
    title: 'Credentialed DELETE from another origin',
    note: 'The preflight is refused: the DELETE is never sent.',
    request: { ...base, from: 'other', method: 'DELETE', credentials: 'include' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'authorization',
    title: 'Authorization header',
    note: 'Authorization is listed explicitly (a "*" in allowedHeaders never covers it in browsers).',
    request: { ...base, headers: [['Authorization', 'Bearer demo-token']], credentials: 'include' },
    expect: { browser: 'allowed', status: 200 },
  },
  {
    id: 'thrown-error',
    title: 'Handler throws',
    note: "The framework's own 500 still carries the CORS headers: the page reads the status, not a network error.",
    request: { ...base, path: '/api/error' },
    expect: { browser: 'allowed', status: 500 },
  },
  {
    id: 'http-error',
    title: 'HTTP error (400)',
    note: "The framework's idiomatic 400 is readable too.",
    request: { ...base, path: '/api/http-error' },
    expect: { browser: 'allowed', status: 400 },
  },
  {
    id: 'not-found',
    title: 'Unknown route (404)',
    note: "No route matched: the framework's 404 is readable.",
    request: { ...base, path: '/api/missing', credentials: 'include' },
    expect: { browser: 'allowed', status: 404 },
  },
  // --- Other kinds of request ------------------------------------------------------------
  {
    id: 'xhr-credentials',
    title: 'XHR with credentials',
    note: 'XMLHttpRequest with withCredentials = true: the same CORS checks as fetch() with credentials: "include".',
    request: { ...base, kind: 'xhr', credentials: 'include' },
    expect: { browser: 'allowed', status: 200 },
  },
  {
    id: 'xhr-other-origin',
    title: 'XHR from another origin',
    note: 'The API answers, but without Access-Control-Allow-Origin: the XHR fires "error", status 0.',
    request: { ...base, kind: 'xhr', from: 'other' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'font',
    title: 'Web font (@font-face)',
    note: 'Fonts are always CORS requests (credentials same-origin): the API allows the page, the font loads and the text uses it.',
    request: font,
    expect: { browser: 'allowed' },
  },
  {
    id: 'font-other-origin',
    title: 'Web font from another origin',
    note: 'No Access-Control-Allow-Origin: the FontFace fails (status "error") and the text falls back to another font.',
    request: { ...font, from: 'other' },
    expect: { browser: 'blocked', engines: { webkit: { browser: 'allowed', reason: ENGINE_DIFFERENCES.webkitFonts } } },
  },
  {
    id: 'canvas',
    title: 'Image → canvas',
    note: '<img crossorigin="anonymous"> drawn to a canvas: allowed by CORS, getImageData() and toDataURL() work.',
    request: image('canvas'),
    expect: { browser: 'allowed' },
  },
  {
    id: 'canvas-other-origin',
    title: 'Image → canvas from another origin',
    note: 'A crossorigin image that fails the CORS check does not load at all (error event): nothing to draw.',
    request: { ...image('canvas'), from: 'other' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'canvas-no-cors',
    title: 'Image without crossorigin → canvas',
    note: 'No crossorigin attribute: no CORS request (no Origin), the image loads but taints the canvas: SecurityError, whatever the API allows.',
    request: { ...image('canvas'), crossOrigin: 'none' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'webgl',
    title: 'Image → WebGL texture',
    note: 'texImage2D() accepts a CORS-approved image; the page reads the texture back.',
    request: image('webgl'),
    expect: { browser: 'allowed' },
  },
  {
    id: 'webgl-no-cors',
    title: 'Image without crossorigin → WebGL',
    note: 'texImage2D() refuses a cross-origin image loaded without CORS: SecurityError.',
    request: { ...image('webgl'), crossOrigin: 'none' },
    expect: { browser: 'blocked' },
  },
  {
    id: 'shape',
    title: 'CSS shape-outside',
    note: 'shape-outside: url() is fetched with CORS: allowed, text wraps along the image\'s opaque half.',
    request: image('shape'),
    expect: { browser: 'allowed' },
  },
  {
    id: 'shape-other-origin',
    title: 'CSS shape-outside from another origin',
    note: 'The image fails the CORS check: the shape is ignored and text wraps around the float\'s box.',
    request: { ...image('shape'), from: 'other' },
    expect: { browser: 'blocked' },
  },
];

/** One row of the playground's "request kinds" panel: the same request from the allowed origin and from the other one. */
export interface KindComparison {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  /** The request; `from` is set per column. */
  readonly request: PlaygroundRequest;
  readonly expect: {
    readonly allowed: 'allowed' | 'blocked';
    readonly other: 'allowed' | 'blocked';
    /** Where an engine does otherwise than the standard requires: its results, and why. */
    readonly engines?: Partial<Record<EngineId, { readonly allowed?: 'allowed' | 'blocked'; readonly other?: 'allowed' | 'blocked'; readonly reason: string }>>;
  };
}

/** Every kind of request, side by side: from the allowed origin and from the other origin. */
export const KIND_COMPARISON: readonly KindComparison[] = [
  {
    id: 'fetch',
    title: 'fetch()',
    note: 'credentials: "include"',
    request: { ...base, credentials: 'include' },
    expect: { allowed: 'allowed', other: 'blocked' },
  },
  {
    id: 'xhr',
    title: 'XMLHttpRequest',
    note: 'withCredentials = true',
    request: { ...base, kind: 'xhr', credentials: 'include' },
    expect: { allowed: 'allowed', other: 'blocked' },
  },
  {
    id: 'font',
    title: '@font-face',
    note: 'document.fonts.load()',
    request: font,
    expect: { allowed: 'allowed', other: 'blocked', engines: { webkit: { other: 'allowed', reason: ENGINE_DIFFERENCES.webkitFonts } } },
  },
  { id: 'canvas', title: '<img crossorigin> → canvas', note: 'getImageData(), toDataURL()', request: image('canvas'), expect: { allowed: 'allowed', other: 'blocked' } },
  {
    id: 'canvas-no-cors',
    title: '<img> → canvas',
    note: 'no crossorigin attribute: a no-cors request',
    request: { ...image('canvas'), crossOrigin: 'none' },
    expect: { allowed: 'blocked', other: 'blocked' },
  },
  { id: 'webgl', title: '<img crossorigin> → WebGL', note: 'texImage2D(), readPixels()', request: image('webgl'), expect: { allowed: 'allowed', other: 'blocked' } },
  { id: 'shape', title: 'shape-outside: url()', note: 'where floated text wraps', request: image('shape'), expect: { allowed: 'allowed', other: 'blocked' } },
];
