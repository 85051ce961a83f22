// @ts-check
// Runs one fetch() and reports what the page's JavaScript can observe: whether the promise
// resolved, the status, the readable response headers and the body. Nothing else: a CORS
// failure is only ever a TypeError to the page; the reason is in DevTools (and, in the
// playground, in the API's own log).
//
// Loaded by the playground page itself, by /runner.html on the second origin, and by a
// sandboxed srcdoc iframe (an opaque origin: requests carry `Origin: null`). Framed copies
// take requests from the parent by postMessage, from the parent origin only.

/**
 * @typedef {object} RunSpec
 * @property {string} url
 * @property {string} method
 * @property {Array<[string, string]>} headers
 * @property {RequestCredentials} credentials
 * @property {string | null} body
 * @property {string[]} [probe] Response headers to read with `headers.get()`.
 */

/**
 * @typedef {object} RunResult
 * @property {'resolved' | 'rejected'} outcome
 * @property {number} status 0 when rejected.
 * @property {string} statusText
 * @property {string} error The rejection, e.g. `TypeError: Failed to fetch`.
 * @property {Array<[string, string]>} readable Every response header the page can read.
 * @property {Record<string, string | null>} probed `headers.get(name)` for each `probe` name.
 * @property {string} body The body text, at most 2000 characters.
 * @property {number} ms
 * @property {string} origin The origin the request came from (`null` for an opaque origin).
 */

/**
 * @param {RunSpec} spec
 * @returns {Promise<RunResult>}
 */
async function preflightRun(spec) {
  const started = performance.now();
  /** @type {RequestInit} */
  const init = { method: spec.method, headers: spec.headers, credentials: spec.credentials };
  if (spec.body !== null && spec.method !== 'GET' && spec.method !== 'HEAD') init.body = spec.body;
  /** @type {RunResult} */
  const result = {
    outcome: 'rejected',
    status: 0,
    statusText: '',
    error: '',
    readable: [],
    probed: {},
    body: '',
    ms: 0,
    origin: self.origin,
  };
  try {
    const res = await fetch(spec.url, init);
    result.outcome = 'resolved';
    result.status = res.status;
    result.statusText = res.statusText;
    res.headers.forEach((value, name) => result.readable.push([name, value]));
    for (const name of spec.probe ?? []) result.probed[name] = res.headers.get(name);
    result.body = (await res.text()).slice(0, 2000);
  } catch (error) {
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

/** @type {{ preflightRun?: typeof preflightRun }} */ (/** @type {unknown} */ (window)).preflightRun = preflightRun;

// Framed: answer the parent page's requests.
if (window.parent !== window) {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const parentOrigin = script?.dataset.parent ?? new URLSearchParams(location.search).get('parent') ?? '';
  window.addEventListener('message', (event) => {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    const data = /** @type {{ type?: unknown, id?: unknown, spec?: RunSpec }} */ (event.data);
    if (data?.type !== 'preflight:run' || data.spec === undefined) return;
    void preflightRun(data.spec).then((result) => {
      window.parent.postMessage({ type: 'preflight:result', id: data.id, result }, parentOrigin);
    });
  });
  window.parent.postMessage({ type: 'preflight:ready' }, parentOrigin);
}
