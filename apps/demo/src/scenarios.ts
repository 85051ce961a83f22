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
  readonly from: RequestFrom;
  readonly method: string;
  /** A route of the APIs, e.g. `/api/echo`. */
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly credentials: 'omit' | 'same-origin' | 'include';
  readonly body: string | null;
}

/** A named request with the outcome every adapter must produce. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** One sentence: what it shows. */
  readonly note: string;
  readonly request: PlaygroundRequest;
  readonly expect: {
    /** Whether the page's fetch() resolves (`allowed`) or rejects (`blocked`). */
    readonly browser: 'allowed' | 'blocked';
    /** The status the page reads, when allowed. */
    readonly status?: number;
  };
}

const base: PlaygroundRequest = { from: 'allowed', method: 'GET', path: '/api/echo', headers: [], credentials: 'omit', body: null };
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
];
