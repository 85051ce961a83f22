// @ts-check
// The playground page. Plain DOM, no framework: builds a request from the form (or a
// preset scenario), runs it from the chosen origin against every API at once, then asks
// its own server what each API received and decided (/log) and shows both sides.

/**
 * @typedef {import('./runner.js').RunSpec} RunSpec
 * @typedef {import('./runner.js').RunResult} RunResult
 * @typedef {'allowed' | 'other' | 'null'} RequestFrom
 * @typedef {{ from: RequestFrom, method: string, path: string, headers: Array<[string, string]>, credentials: RequestCredentials, body: string | null }} PlaygroundRequest
 * @typedef {{ id: string, title: string, note: string, request: PlaygroundRequest, expect: { browser: 'allowed' | 'blocked', status?: number } }} Scenario
 * @typedef {{ id: string, label: string, url: string }} Api
 * @typedef {{ origins: { allowed: string, other: string }, apis: Api[], policy: Record<string, unknown>, scenarios: Scenario[] }} Config
 * @typedef {{ code: string, message: string }} Refusal
 * @typedef {{ seq: number, method: string, url: string, kind: 'preflight' | 'actual' | 'none', origin: string | null, cookie: boolean, authorization: boolean, status: number, headers: Array<[string, string]>, refusal: Refusal | null }} ServerRecord
 * @typedef {{ api: Api, result: RunResult, records: ServerRecord[] }} Outcome
 * @typedef {(spec: RunSpec) => Promise<RunResult>} Runner
 */

const PROBE = ['x-request-id', 'x-secret'];
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
        url: `${api.url}${request.path}?case=${caseId}`,
        method: request.method,
        headers: request.headers,
        credentials: request.credentials,
        body: request.body,
        probe: PROBE,
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
    const mismatch = scenario !== undefined && !matches(scenario, outcome.result);
    if (mismatch) mismatches++;
    const row = h(
      'tr',
      { 'data-adapter': outcome.api.id, 'data-verdict': verdict, class: mismatch ? 'mismatch' : '' },
      h('th', { scope: 'row' }, h('div', { class: 'adapter' }, outcome.api.label), h('div', { class: 'url' }, outcome.api.url)),
      h('td', { class: 'verdict' }, badge(verdict), mismatch ? h('div', { class: 'expected' }, `expected ${scenario?.expect.browser}`) : null),
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
    caption.append(h('b', {}, scenario.title), ` — ${scenario.note} Expected: `, badge(scenario.expect.browser));
    if (scenario.expect.status !== undefined) caption.append(` with status ${scenario.expect.status}`);
    caption.append('.');
  } else {
    caption.append(describe(readForm()));
  }
}

/** @param {PlaygroundRequest} request */
function describe(request) {
  const from = request.from === 'allowed' ? config.origins.allowed : request.from === 'other' ? config.origins.other : 'a sandboxed iframe (null)';
  return `${request.method} ${request.path} from ${from}, credentials: ${request.credentials}${request.headers.length ? `, headers: ${request.headers.map(([n]) => n).join(', ')}` : ''}.`;
}

/**
 * @param {Scenario} scenario
 * @param {RunResult} result
 */
function matches(scenario, result) {
  if (verdictOf(result) !== scenario.expect.browser) return false;
  return scenario.expect.status === undefined || scenario.expect.status === result.status;
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
    from: /** @type {RequestFrom} */ (checked.value),
    method: /** @type {HTMLSelectElement} */ ($('#method')).value,
    path: /** @type {HTMLSelectElement} */ ($('#path')).value,
    headers,
    credentials: /** @type {RequestCredentials} */ (/** @type {HTMLSelectElement} */ ($('#credentials')).value),
    body: body === '' ? null : body,
  };
}

/** @param {PlaygroundRequest} request */
function fillForm(request) {
  /** @type {HTMLInputElement} */ ($(`#from input[value="${request.from}"]`)).checked = true;
  /** @type {HTMLSelectElement} */ ($('#method')).value = request.method;
  /** @type {HTMLSelectElement} */ ($('#path')).value = request.path;
  /** @type {HTMLSelectElement} */ ($('#credentials')).value = request.credentials;
  /** @type {HTMLTextAreaElement} */ ($('#headers')).value = request.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
  /** @type {HTMLTextAreaElement} */ ($('#body')).value = request.body ?? '';
}

/** @param {boolean} busy */
function setBusy(busy) {
  for (const id of ['#send', '#run-all']) /** @type {HTMLButtonElement} */ ($(id)).disabled = busy;
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
        { 'data-scenario': scenario.id },
        h('th', { scope: 'row' }, scenario.title),
        h('td', { 'data-expected': scenario.expect.browser }, badge(scenario.expect.browser), scenario.expect.status ? ` ${scenario.expect.status}` : ''),
      );
      for (const outcome of outcomes) {
        const ok = matches(scenario, outcome.result);
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

async function init() {
  config = /** @type {Config} */ (await (await fetch('/config.json')).json());
  $('#from-allowed').textContent = `${config.origins.allowed} · allowed`;
  $('#from-other').textContent = `${config.origins.other} · not allowed`;
  const policy = $('#policy');
  for (const [name, value] of Object.entries(config.policy)) {
    policy.append(h('dt', {}, name), h('dd', {}, JSON.stringify(value).replaceAll('","', '", "')));
  }
  const list = $('#scenarios');
  for (const scenario of config.scenarios) {
    const button = h('button', { type: 'button', title: scenario.note }, h('span', { class: 'title' }, scenario.title), badge(scenario.expect.browser));
    button.addEventListener('click', () => {
      fillForm(scenario.request);
      void sendCurrent(scenario);
    });
    list.append(h('li', { 'data-scenario': scenario.id }, button));
  }
  $('#send').addEventListener('click', () => void sendCurrent(undefined));
  $('#run-all').addEventListener('click', () => void runAll());
  setBusy(false);
  document.body.dataset.ready = 'true';
}

void init();
