// @ts-check
// The playground page. Plain DOM, no framework: builds a request from the form (or a
// preset scenario), runs it from the chosen origin against every API at once, then asks
// its own server what each API received and decided (/log) and shows both sides.

/**
 * @typedef {import('./runner.js').RunSpec} RunSpec
 * @typedef {import('./runner.js').RunResult} RunResult
 * @typedef {import('./runner.js').RequestKind} RequestKind
 * @typedef {import('./runner.js').ImageCrossOrigin} ImageCrossOrigin
 * @typedef {'allowed' | 'other' | 'null'} RequestFrom
 * @typedef {{ kind: RequestKind, from: RequestFrom, method: string, path: string, headers: Array<[string, string]>, credentials: RequestCredentials, body: string | null, crossOrigin: ImageCrossOrigin }} PlaygroundRequest
 * @typedef {'chromium' | 'firefox' | 'webkit' | 'other'} EngineId
 * @typedef {{ browser: 'allowed' | 'blocked', status?: number }} Expected
 * @typedef {{ id: string, title: string, note: string, request: PlaygroundRequest, expect: Expected & { engines?: Partial<Record<EngineId, Expected & { reason: string }>> } }} Scenario
 * @typedef {{ allowed?: 'allowed' | 'blocked', other?: 'allowed' | 'blocked' }} KindExpected
 * @typedef {{ id: string, title: string, note: string, request: PlaygroundRequest, expect: { allowed: 'allowed' | 'blocked', other: 'allowed' | 'blocked', engines?: Partial<Record<EngineId, KindExpected & { reason: string }>> } }} KindComparison
 * @typedef {{ id: string, label: string, url: string }} Api
 * @typedef {{ origins: { allowed: string, other: string }, apis: Api[], policy: Record<string, unknown>, scenarios: Scenario[], kinds: KindComparison[] }} Config
 * @typedef {{ code: string, message: string }} Refusal
 * @typedef {{ seq: number, method: string, url: string, kind: 'preflight' | 'actual' | 'none', origin: string | null, cookie: boolean, authorization: boolean, status: number, headers: Array<[string, string]>, refusal: Refusal | null }} ServerRecord
 * @typedef {{ api: Api, result: RunResult, records: ServerRecord[] }} Outcome
 * @typedef {(spec: RunSpec) => Promise<RunResult>} Runner
 */

const PROBE = ['x-request-id', 'x-secret'];
const IMAGE_PATH = '/assets/test.png';
const FONT_PATH = '/assets/test.ttf';

/** @type {Record<RequestKind, { label: string, note: string }>} */
const KIND_INFO = {
  fetch: { label: 'fetch()', note: 'fetch() with the method, headers, credentials and body below; the page reads the response.' },
  xhr: { label: 'XHR', note: 'XMLHttpRequest with the method, headers and body below; credentials "include" sets withCredentials.' },
  font: { label: 'font', note: `An @font-face rule for ${FONT_PATH}, loaded with document.fonts.load(). Fonts are always CORS requests without credentials.` },
  canvas: { label: 'canvas', note: `An <img> of ${IMAGE_PATH} drawn to a 2D canvas, then getImageData() and toDataURL().` },
  webgl: { label: 'WebGL', note: `An <img> of ${IMAGE_PATH} uploaded with texImage2D(), then read back with readPixels().` },
  shape: { label: 'shape', note: `A float with shape-outside: url(${IMAGE_PATH}), fetched with CORS without credentials; the page measures where the text beside it starts.` },
};
/**
 * The engine this page runs in, from its user agent: browsers differ (see docs/browsers.md),
 * and a scenario's expectation may name an engine's own result with its reason.
 * @returns {{ id: EngineId, label: string }}
 */
function detectEngine() {
  const ua = navigator.userAgent;
  let match;
  if ((match = /Firefox\/([\d.]+)/.exec(ua))) return { id: 'firefox', label: `Firefox ${match[1]}` };
  if ((match = /(?:Chrome|Chromium)\/([\d.]+)/.exec(ua))) return { id: 'chromium', label: `Chromium ${match[1]}` };
  if ((match = /AppleWebKit\/([\d.]+)/.exec(ua))) return { id: 'webkit', label: `WebKit (AppleWebKit/${match[1]})` };
  return { id: 'other', label: ua };
}
const ENGINE = detectEngine();

/**
 * What `scenario` must give in this engine, and why when it is not what the standard requires.
 * @param {Scenario} scenario
 * @returns {Expected & { reason?: string }}
 */
function expectFor(scenario) {
  return scenario.expect.engines?.[ENGINE.id] ?? scenario.expect;
}

/**
 * What a kinds row must give from `from` in this engine.
 * @param {KindComparison} row
 * @param {'allowed' | 'other'} from
 */
function kindExpectFor(row, from) {
  return row.expect.engines?.[ENGINE.id]?.[from] ?? row.expect[from];
}

const RUN_ID = Math.random().toString(36).slice(2, 8);
let sequence = 0;

/** @type {Config} */
let config;

// ---------------------------------------------------------------------------------------
// DOM helpers

/**
 * @template {HTMLElement} T
 * @param {string} selector
 * @returns {T}
 */
function $(selector) {
  const element = document.querySelector(selector);
  if (element === null) throw new Error(`missing ${selector}`);
  return /** @type {T} */ (element);
}

/**
 * Create an element. Text children are text nodes: nothing is parsed as HTML.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string | null | undefined | false>} children
 * @returns {HTMLElement}
 */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/**
 * A small label for kinds other than fetch().
 * @param {RequestKind} kind
 */
function kindTag(kind) {
  return kind === 'fetch' ? null : h('span', { class: `kind-tag ${kind}` }, KIND_INFO[kind].label);
}

/** @param {'allowed' | 'blocked'} verdict */
function badge(verdict) {
  return h('span', { class: `badge ${verdict}` }, verdict === 'allowed' ? '✓ allowed' : '✕ blocked');
}

// ---------------------------------------------------------------------------------------
// Running requests from three origins

/** @type {Map<string, (result: RunResult) => void>} */
const pending = new Map();
/** @type {Map<Window, () => void>} */
const readiness = new Map();
/** @type {Partial<Record<RequestFrom, Promise<Runner>>>} */
const runners = {};

window.addEventListener('message', (event) => {
  const data = /** @type {{ type?: unknown, id?: unknown, result?: RunResult }} */ (event.data);
  if (event.source === null) return;
  if (data?.type === 'preflight:ready') {
    readiness.get(/** @type {Window} */ (event.source))?.();
    return;
  }
  if (data?.type === 'preflight:result' && typeof data.id === 'string' && data.result !== undefined) {
    const resolve = pending.get(data.id);
    pending.delete(data.id);
    resolve?.(data.result);
  }
});

/**
 * A frame that runs requests for the page, from its own origin.
 * @param {HTMLIFrameElement} frame
 * @param {string} targetOrigin
 * @returns {Promise<Runner>}
 */
function framedRunner(frame, targetOrigin) {
  return new Promise((resolve) => {
    $('#frames').append(frame);
    // The window exists as soon as the frame is in the document; its runner says when it
    // is listening (a "ready" message may come before or after the frame's load event).
    const win = /** @type {Window} */ (frame.contentWindow);
    readiness.set(win, () => {
      readiness.delete(win);
      resolve((spec) => {
        const id = `m${++sequence}`;
        return new Promise((done) => {
          pending.set(id, done);
          win.postMessage({ type: 'preflight:run', id, spec }, targetOrigin);
        });
      });
    });
  });
}

/**
 * @param {RequestFrom} from
 * @returns {Promise<Runner>}
 */
function runnerFor(from) {
  const existing = runners[from];
  if (existing !== undefined) return existing;
  /** @type {Promise<Runner>} */
  let runner;
  if (from === 'allowed') {
    // This page: the allowed origin.
    runner = Promise.resolve(/** @type {{ preflightRun: Runner }} */ (/** @type {unknown} */ (window)).preflightRun);
  } else if (from === 'other') {
    // The second origin, in a frame: the same runner script, another origin.
    const frame = document.createElement('iframe');
    frame.title = 'runner on the other origin';
    frame.src = `${config.origins.other}/runner.html?parent=${encodeURIComponent(location.origin)}`;
    runner = framedRunner(frame, config.origins.other);
  } else {
    // A sandboxed frame without allow-same-origin: an opaque origin, serialized as "null".
    const frame = document.createElement('iframe');
    frame.title = 'runner in a sandboxed iframe';
    frame.setAttribute('sandbox', 'allow-scripts');
    const script = document.createElement('script');
    script.src = `${location.origin}/runner.js`;
    script.dataset.parent = location.origin;
    frame.srcdoc = script.outerHTML;
    runner = framedRunner(frame, '*'); // an opaque origin can only be addressed as "*"
  }
  runners[from] = runner;
  return runner;
}

/**
 * Send one request to every API, from the request's origin, and collect both sides.
 * @param {PlaygroundRequest} request
 * @returns {Promise<Outcome[]>}
 */
async function sendToAll(request) {
  const caseId = `${RUN_ID}-${++sequence}`;
  const run = await runnerFor(request.from);
  const results = await Promise.all(
    config.apis.map((api) =>
      run({
        kind: request.kind,
        // A URL of its own: images and fonts are also cached in memory, by URL.
        url: `${api.url}${request.path}?case=${caseId}`,
        method: request.method,
        headers: request.headers,
        credentials: request.credentials,
        body: request.body,
        probe: PROBE,
        crossOrigin: request.crossOrigin,
      }),
    ),
  );
  const log = /** @type {Record<string, ServerRecord[]>} */ (await (await fetch(`/log?case=${caseId}`)).json());
  return config.apis.map((api, i) => ({ api, result: /** @type {RunResult} */ (results[i]), records: log[api.id] ?? [] }));
}

// ---------------------------------------------------------------------------------------
// Rendering

/** @param {RunResult} result */
function verdictOf(result) {
  return result.outcome === 'resolved' ? 'allowed' : 'blocked';
}

/** @param {ServerRecord} record */
function decisionText(record) {
  if (record.kind === 'none') return 'no Origin: not a CORS request';
  if (record.refusal !== null) return record.kind === 'preflight' ? 'preflight refused' : 'refused';
  return record.kind === 'preflight' ? 'preflight allowed' : 'allowed';
}

const SHOWN_HEADERS = /^(access-control-|vary$)/i;

/** @param {Outcome} outcome */
function pageCell(outcome) {
  const { result } = outcome;
  if (result.kind !== 'fetch' && result.kind !== 'xhr') return h('td', { class: 'page' }, ...artifact(result));
  if (result.outcome === 'rejected') {
    return h('td', { class: 'page' }, h('code', { class: 'error' }, result.error), h('div', { class: 'muted' }, 'Nothing else: no status, no headers, no body.'));
  }
  const cell = h('td', { class: 'page' });
  const list = h('ul', { class: 'kv' });
  for (const [name, value] of result.readable) list.append(h('li', {}, h('span', { class: 'k' }, name), h('span', { class: 'v' }, value)));
  for (const name of PROBE) {
    if (result.probed[name] === null) list.append(h('li', { class: 'hidden-header' }, h('span', { class: 'k' }, name), h('span', { class: 'v' }, 'null (not exposed)')));
  }
  cell.append(list);
  let body = result.body;
  try {
    const echo = /** @type {{ cookie?: boolean, authorization?: boolean, custom?: string | null }} */ (JSON.parse(body));
    if (typeof echo.cookie === 'boolean') {
      body = `cookie ${echo.cookie ? 'received' : 'not received'} · Authorization ${echo.authorization ? 'received' : 'not received'}${echo.custom ? ` · X-Custom: ${echo.custom}` : ''}`;
    }
  } catch {
    // not JSON: shown as is
  }
  if (body !== '') cell.append(h('div', { class: 'body' }, body.length > 90 ? `${body.slice(0, 90)}…` : body));
  return cell;
}

/**
 * What the page got out of a font, an image or a shape: a picture of it (drawn by the page
 * that made the request) and the measurement that proves it.
 * @param {RunResult} result
 * @returns {HTMLElement[]}
 */
function artifact(result) {
  const o = result.observed;
  const used = result.outcome === 'resolved';
  /** @type {HTMLElement[]} */
  const out = [];
  const picture = result.preview ? h('img', { class: `preview ${result.kind}`, src: result.preview, alt: `what the page drew (${result.kind})` }) : null;
  if (result.kind === 'shape') out.push(shapeSketch(result));
  else if (picture) out.push(picture);
  /** @type {string} */
  let text;
  if (result.kind === 'font') {
    text = used ? `FontFace "loaded": "Preflight" is ${o.width} px wide in the font (${o.fallbackWidth} px in the fallback).` : `FontFace "${o.status}": the text falls back to another font.`;
  } else if (result.kind === 'canvas') {
    text = used ? `getImageData(1, 1) → rgba(${o.pixel}); toDataURL() works.` : o.loaded ? 'The image loaded, but it taints the canvas: its pixels stay unreadable.' : 'The image did not load: nothing to draw.';
  } else if (result.kind === 'webgl') {
    text = used ? `texImage2D() accepted it; readPixels() → rgba(${o.pixel}).` : o.loaded ? 'The image loaded, but WebGL refuses it as a texture.' : 'The image did not load: nothing to upload.';
  } else {
    text = used
      ? `Lines start at ${String(o.lineStarts).split(',')[0]} px: the shape applies.`
      : `Lines start at ${String(o.lineStarts).split(',')[0]} px: the shape is ignored, the float keeps its ${o.floatWidth} px box.`;
  }
  if (!used) out.push(h('code', { class: 'error' }, result.error));
  out.push(h('div', { class: used ? 'body' : 'muted' }, text));
  return out;
}

/**
 * A sketch of the float and the lines beside it, drawn from where the page measured that
 * they start (the real layout ran in the requesting page, possibly on another origin).
 * @param {RunResult} result
 */
function shapeSketch(result) {
  const scale = 2;
  const size = Number(result.observed.floatWidth) || 32;
  const starts = String(result.observed.lineStarts ?? '').split(',').map(Number).filter((n) => !Number.isNaN(n));
  const applied = result.outcome === 'resolved';
  const sketch = h('div', {
    class: `shape-sketch ${applied ? 'applied' : 'ignored'}`,
    style: `--size: ${size * scale}px`,
    title: applied ? "the float (dashed), the image's opaque half (green) and the text lines beside it" : 'the float without its image (a plain box) and the text lines beside it',
  });
  sketch.append(h('div', { class: 'float' }, applied ? h('div', { class: 'opaque' }) : null));
  for (const [i, start] of starts.entries()) sketch.append(h('div', { class: 'line', style: `top: ${i * 8 * scale + 3}px; left: ${start * scale}px` }));
  return sketch;
}

/** @param {Outcome} outcome */
function serverCell(outcome) {
  const cell = h('td', { class: 'server' });
  if (outcome.records.length === 0) {
    cell.append(h('div', { class: 'muted' }, 'Nothing arrived: the browser did not send the request.'));
    return cell;
  }
  for (const record of outcome.records) {
    const refused = record.refusal !== null;
    const line = h(
      'div',
      { class: `hop ${refused ? 'refused' : 'ok'}` },
      h('span', { class: 'method' }, record.method),
      h('span', { class: 'status' }, record.status ? String(record.status) : '—'),
      h('span', { class: 'decision' }, decisionText(record)),
    );
    cell.append(line);
    if (refused && record.refusal) cell.append(h('div', { class: 'reason' }, h('code', {}, record.refusal.code), ' ', record.refusal.message));
    const shown = record.headers.filter(([name]) => SHOWN_HEADERS.test(name));
    if (shown.length > 0) {
      const list = h('ul', { class: 'kv small' });
      for (const [name, value] of shown) list.append(h('li', {}, h('span', { class: 'k' }, name), h('span', { class: 'v' }, value)));
      cell.append(h('details', {}, h('summary', {}, `${shown.length} CORS response header${shown.length === 1 ? '' : 's'}`), list));
    } else {
      cell.append(h('div', { class: 'muted small' }, 'no CORS response headers'));
    }
  }
  const actualSent = outcome.records.some((r) => r.kind !== 'preflight');
  if (!actualSent && outcome.records.some((r) => r.kind === 'preflight')) {
    cell.append(h('div', { class: 'muted small' }, 'The actual request was never sent.'));
  }
  return cell;
}

/**
 * @param {Outcome[]} outcomes
 * @param {Scenario | undefined} scenario
 */
function renderResults(outcomes, scenario) {
  const table = $('#results');
  const body = /** @type {HTMLTableSectionElement} */ (table.querySelector('tbody'));
  body.replaceChildren();
  let mismatches = 0;
  for (const outcome of outcomes) {
    const verdict = verdictOf(outcome.result);
    const mismatch = scenario !== undefined && !matches(scenario, outcome);
    if (mismatch) mismatches++;
    const row = h(
      'tr',
      { 'data-adapter': outcome.api.id, 'data-verdict': verdict, class: mismatch ? 'mismatch' : '' },
      h('th', { scope: 'row' }, h('div', { class: 'adapter' }, outcome.api.label), h('div', { class: 'url' }, outcome.api.url)),
      h('td', { class: 'verdict' }, badge(verdict), mismatch ? h('div', { class: 'expected' }, `expected ${scenario ? expectFor(scenario).browser : ''}`) : null),
      h('td', { class: 'status-cell' }, outcome.result.status ? `${outcome.result.status}` : '—', h('div', { class: 'muted small' }, `${outcome.result.ms} ms`)),
      pageCell(outcome),
      serverCell(outcome),
    );
    body.append(row);
  }
  table.dataset.state = 'done';
  table.dataset.mismatches = String(mismatches);
  const caption = $('#results-caption');
  caption.replaceChildren();
  if (scenario !== undefined) {
    const want = expectFor(scenario);
    caption.append(h('b', {}, scenario.title), ` — ${scenario.note} Expected: `, badge(want.browser));
    if (want.status !== undefined) caption.append(` with status ${want.status}`);
    if (want.reason !== undefined) caption.append(h('div', { class: 'engine-note' }, `In ${ENGINE.label}: ${want.reason}`));
    caption.append('.');
  } else {
    caption.append(describe(readForm()));
  }
}

/** @param {PlaygroundRequest} request */
function describe(request) {
  const from = request.from === 'allowed' ? config.origins.allowed : request.from === 'other' ? config.origins.other : 'a sandboxed iframe (null)';
  if (request.kind === 'font' || request.kind === 'shape') return `${KIND_INFO[request.kind].label}: ${request.path} from ${from}.`;
  if (request.kind === 'canvas' || request.kind === 'webgl') return `${KIND_INFO[request.kind].label}: <img crossorigin="${request.crossOrigin}"> of ${request.path} from ${from}.`;
  return `${request.kind === 'xhr' ? 'XHR ' : ''}${request.method} ${request.path} from ${from}, credentials: ${request.credentials}${request.headers.length ? `, headers: ${request.headers.map(([n]) => n).join(', ')}` : ''}.`;
}

/**
 * The expected result, for the right reason: every scenario reaches the API (a blocked
 * request is refused by the browser after the API answered, never because it was not sent).
 * @param {Scenario} scenario
 * @param {Outcome} outcome
 */
function matches(scenario, outcome) {
  const { result } = outcome;
  const want = expectFor(scenario);
  if (outcome.records.length === 0 || verdictOf(result) !== want.browser) return false;
  return want.status === undefined || want.status === result.status;
}

// ---------------------------------------------------------------------------------------
// The form

/** @returns {PlaygroundRequest} */
function readForm() {
  const checked = /** @type {HTMLInputElement} */ ($('#from input:checked'));
  /** @type {Array<[string, string]>} */
  const headers = [];
  for (const line of /** @type {HTMLTextAreaElement} */ ($('#headers')).value.split('\n')) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`Not a header line: "${line}" (expected Name: value)`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const body = /** @type {HTMLTextAreaElement} */ ($('#body')).value;
  return {
    kind: /** @type {RequestKind} */ (/** @type {HTMLInputElement} */ ($('#kind input:checked')).value),
    from: /** @type {RequestFrom} */ (checked.value),
    method: /** @type {HTMLSelectElement} */ ($('#method')).value,
    path: /** @type {HTMLSelectElement} */ ($('#path')).value,
    headers,
    credentials: /** @type {RequestCredentials} */ (/** @type {HTMLSelectElement} */ ($('#credentials')).value),
    body: body === '' ? null : body,
    crossOrigin: /** @type {ImageCrossOrigin} */ (/** @type {HTMLSelectElement} */ ($('#crossorigin')).value),
  };
}

/**
 * Enable the fields that apply to the chosen kind: fonts and shapes fix the route, the
 * method and the credentials; images add the crossorigin attribute.
 * @param {boolean} [kindChanged] The user picked another kind: point the route at its asset.
 */
function updateKindFields(kindChanged = false) {
  const kind = /** @type {RequestKind} */ (/** @type {HTMLInputElement} */ ($('#kind input:checked')).value);
  const readsResponse = kind === 'fetch' || kind === 'xhr';
  const path = /** @type {HTMLSelectElement} */ ($('#path'));
  if (!readsResponse) path.value = kind === 'font' ? FONT_PATH : IMAGE_PATH;
  else if (kindChanged && (path.value === FONT_PATH || path.value === IMAGE_PATH)) path.value = '/api/echo';
  for (const id of ['#method', '#path', '#credentials', '#headers', '#body']) /** @type {HTMLInputElement} */ ($(id)).disabled = !readsResponse;
  $('#crossorigin-field').hidden = kind !== 'canvas' && kind !== 'webgl';
  $('#kind-note').textContent = KIND_INFO[kind].note;
}

/** @param {PlaygroundRequest} request */
function fillForm(request) {
  /** @type {HTMLInputElement} */ ($(`#kind input[value="${request.kind}"]`)).checked = true;
  /** @type {HTMLInputElement} */ ($(`#from input[value="${request.from}"]`)).checked = true;
  /** @type {HTMLSelectElement} */ ($('#method')).value = request.method;
  /** @type {HTMLSelectElement} */ ($('#path')).value = request.path;
  /** @type {HTMLSelectElement} */ ($('#credentials')).value = request.credentials;
  /** @type {HTMLTextAreaElement} */ ($('#headers')).value = request.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
  /** @type {HTMLTextAreaElement} */ ($('#body')).value = request.body ?? '';
  /** @type {HTMLSelectElement} */ ($('#crossorigin')).value = request.crossOrigin;
  updateKindFields();
}

/** @param {boolean} busy */
function setBusy(busy) {
  for (const id of ['#send', '#run-all', '#run-kinds']) /** @type {HTMLButtonElement} */ ($(id)).disabled = busy;
  document.querySelectorAll('.scenario-list button').forEach((b) => {
    /** @type {HTMLButtonElement} */ (b).disabled = busy;
  });
}

/** @param {Scenario | undefined} scenario */
async function sendCurrent(scenario) {
  const error = $('#form-error');
  error.textContent = '';
  let request;
  try {
    request = readForm();
  } catch (e) {
    error.textContent = e instanceof Error ? e.message : String(e);
    return;
  }
  setBusy(true);
  $('#results').dataset.state = 'running';
  try {
    renderResults(await sendToAll(request), scenario);
  } catch (e) {
    $('#results').dataset.state = 'error';
    error.textContent = `Failed: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    setBusy(false);
  }
  document.querySelectorAll('.scenario-list li').forEach((li) => li.classList.toggle('active', /** @type {HTMLElement} */ (li).dataset.scenario === scenario?.id));
}

// ---------------------------------------------------------------------------------------
// Run all scenarios: the matrix `pnpm demo --check` reads

async function runAll() {
  const panel = $('#matrix-panel');
  panel.hidden = false;
  const table = $('#matrix');
  table.dataset.state = 'running';
  const head = /** @type {HTMLTableSectionElement} */ (table.querySelector('thead'));
  const body = /** @type {HTMLTableSectionElement} */ (table.querySelector('tbody'));
  head.replaceChildren(h('tr', {}, h('th', {}, 'Scenario'), h('th', {}, 'Expected'), ...config.apis.map((api) => h('th', {}, api.label))));
  body.replaceChildren();
  setBusy(true);
  let failures = 0;
  try {
    for (const scenario of config.scenarios) {
      const outcomes = await sendToAll(scenario.request);
      const row = h(
        'tr',
        { 'data-scenario': scenario.id, 'data-title': scenario.title },
        h('th', { scope: 'row' }, kindTag(scenario.request.kind), scenario.title),
        h(
          'td',
          { 'data-expected': expectFor(scenario).browser, ...(expectFor(scenario).reason ? { title: `${ENGINE.label}: ${expectFor(scenario).reason}`, class: 'engine-specific' } : {}) },
          badge(expectFor(scenario).browser),
          expectFor(scenario).status ? ` ${expectFor(scenario).status}` : '',
        ),
      );
      for (const outcome of outcomes) {
        const ok = matches(scenario, outcome);
        if (!ok) failures++;
        const verdict = verdictOf(outcome.result);
        row.append(
          h(
            'td',
            { class: ok ? 'match' : 'mismatch', 'data-adapter': outcome.api.id, 'data-verdict': verdict, 'data-status': String(outcome.result.status), 'data-ok': String(ok) },
            badge(verdict),
            outcome.result.status ? ` ${outcome.result.status}` : '',
          ),
        );
      }
      body.append(row);
    }
  } finally {
    setBusy(false);
  }
  table.dataset.failures = String(failures);
  table.dataset.state = 'done';
  $('#matrix-caption').textContent =
    failures === 0
      ? `Every adapter gave the expected result in all ${config.scenarios.length} scenarios.`
      : `${failures} result${failures === 1 ? '' : 's'} differ from the expected one (highlighted).`;
}

// ---------------------------------------------------------------------------------------
// Every kind of request, side by side: from the allowed origin and from the other one

async function runKinds() {
  const table = $('#kinds');
  table.dataset.state = 'running';
  const body = /** @type {HTMLTableSectionElement} */ (table.querySelector('tbody'));
  body.replaceChildren();
  setBusy(true);
  let failures = 0;
  try {
    for (const row of config.kinds) {
      const tr = h('tr', { 'data-kind': row.id }, h('th', { scope: 'row' }, h('div', {}, row.title), h('div', { class: 'muted small' }, row.note)));
      for (const from of /** @type {const} */ (['allowed', 'other'])) {
        const outcomes = await sendToAll({ ...row.request, from });
        const expected = kindExpectFor(row, from);
        const verdicts = outcomes.map((o) => verdictOf(o.result));
        const differing = outcomes.filter((o) => verdictOf(o.result) !== expected || o.records.length === 0);
        failures += differing.length;
        const first = /** @type {Outcome} */ (outcomes[0]);
        const cell = h('td', { class: `kind-cell ${differing.length ? 'mismatch' : ''}`, 'data-from': from, 'data-expected': expected, 'data-verdicts': verdicts.join(','), 'data-ok': String(differing.length === 0) });
        cell.append(h('div', { class: 'kind-verdict' }, badge(verdictOf(first.result)), first.result.status ? h('span', { class: 'muted' }, ` ${first.result.status}`) : ''));
        cell.append(...(row.request.kind === 'fetch' || row.request.kind === 'xhr' ? kindResponse(first.result) : artifact(first.result)));
        cell.append(
          h(
            'div',
            { class: `agree ${differing.length ? 'bad' : 'ok'}` },
            differing.length === 0
              ? `✓ the same on all ${outcomes.length} APIs`
              : `✗ differs on ${differing.map((o) => `${o.api.label} (${verdictOf(o.result)})`).join(', ')}`,
          ),
        );
        tr.append(cell);
      }
      body.append(tr);
    }
  } finally {
    setBusy(false);
  }
  table.dataset.failures = String(failures);
  table.dataset.state = 'done';
  $('#kinds-caption').textContent =
    failures === 0
      ? `Every kind behaves as CORS promises, on all ${config.apis.length} APIs: shown here as ${config.apis[0]?.label} saw it.`
      : `${failures} result${failures === 1 ? '' : 's'} differ from what CORS promises (highlighted).`;
}

/**
 * fetch() and XHR in the side-by-side panel: what the page read, in one line.
 * @param {RunResult} result
 * @returns {HTMLElement[]}
 */
function kindResponse(result) {
  if (result.outcome === 'rejected') return [h('code', { class: 'error' }, result.error), h('div', { class: 'muted' }, 'No status, no headers, no body.')];
  let cookie = '';
  try {
    cookie = /** @type {{ cookie?: boolean }} */ (JSON.parse(result.body)).cookie ? ' · cookie received' : ' · no cookie';
  } catch {
    // not JSON
  }
  return [h('div', { class: 'body' }, `Reads the JSON body, x-request-id: ${result.probed['x-request-id']}${cookie}.`)];
}

// ---------------------------------------------------------------------------------------

async function init() {
  config = /** @type {Config} */ (await (await fetch('/config.json')).json());
  $('#engine').textContent = ENGINE.label;
  document.body.dataset.engine = ENGINE.id;
  $('#from-allowed').textContent = `${config.origins.allowed} · allowed`;
  $('#from-other').textContent = `${config.origins.other} · not allowed`;
  const policy = $('#policy');
  for (const [name, value] of Object.entries(config.policy)) {
    policy.append(h('dt', {}, name), h('dd', {}, JSON.stringify(value).replaceAll('","', '", "')));
  }
  const list = $('#scenarios');
  for (const [i, scenario] of config.scenarios.entries()) {
    if (scenario.request.kind !== 'fetch' && config.scenarios[i - 1]?.request.kind === 'fetch') {
      list.append(h('li', { class: 'group', 'aria-hidden': 'true' }, 'XHR, fonts, images, shapes'));
    }
    const button = h('button', { type: 'button', title: scenario.note }, h('span', { class: 'title' }, kindTag(scenario.request.kind), scenario.title), badge(expectFor(scenario).browser));
    button.addEventListener('click', () => {
      fillForm(scenario.request);
      void sendCurrent(scenario);
    });
    list.append(h('li', { 'data-scenario': scenario.id }, button));
  }
  $('#send').addEventListener('click', () => void sendCurrent(undefined));
  $('#run-all').addEventListener('click', () => void runAll());
  $('#run-kinds').addEventListener('click', () => void runKinds());
  $('#kind').addEventListener('change', () => updateKindFields(true));
  updateKindFields();
  setBusy(false);
  document.body.dataset.ready = 'true';
}

void init();
