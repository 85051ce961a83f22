// @ts-check
// Makes one cross-origin request of a given kind and reports what the page's JavaScript can
// observe. Nothing else: a CORS failure is only ever a TypeError, an error event, a font
// that does not load, a SecurityError or a shape that does not apply; the reason is in
// DevTools (and, in the playground, in the API's own log).
//
// Kinds: `fetch` (the default) and `xhr` read the response; `font` loads it with @font-face;
// `canvas` and `webgl` load an <img> and read its pixels; `shape` uses it as shape-outside.
//
// Loaded by the playground page itself, by /runner.html on the second origin, and by a
// sandboxed srcdoc iframe (an opaque origin: requests carry `Origin: null`). Framed copies
// take requests from the parent by postMessage, from the parent origin only.

/**
 * @typedef {'fetch' | 'xhr' | 'font' | 'canvas' | 'webgl' | 'shape'} RequestKind
 * @typedef {'anonymous' | 'use-credentials' | 'none'} ImageCrossOrigin `none`: no crossorigin attribute (a no-cors request).
 */

/**
 * @typedef {object} RunSpec
 * @property {RequestKind} [kind] Default `fetch`.
 * @property {string} url
 * @property {string} method `fetch` and `xhr` only.
 * @property {Array<[string, string]>} headers `fetch` and `xhr` only.
 * @property {RequestCredentials} credentials `fetch`; `xhr`: `include` sets withCredentials. Fonts and shapes always use `same-origin`.
 * @property {string | null} body
 * @property {string[]} [probe] Response headers to read with `headers.get()` / `getResponseHeader()`.
 * @property {ImageCrossOrigin} [crossOrigin] `canvas` and `webgl`: the <img> crossorigin attribute. Default `anonymous`.
 */

/**
 * @typedef {object} RunResult
 * @property {RequestKind} kind
 * @property {'resolved' | 'rejected'} outcome `resolved`: the page got to use the response
 *   (read it, the font loaded, the pixels are readable, the texture was accepted, the shape applied).
 * @property {number} status 0 when rejected, and for kinds that cannot read it.
 * @property {string} statusText
 * @property {string} error What the page saw instead, e.g. `TypeError: Failed to fetch` or `SecurityError: …`.
 * @property {Array<[string, string]>} readable Every response header the page can read (`fetch`, `xhr`).
 * @property {Record<string, string | null>} probed `headers.get(name)` for each `probe` name.
 * @property {string} body The body text, at most 2000 characters.
 * @property {Record<string, string | number | boolean | null>} observed What else the page measured, per kind.
 * @property {string | null} preview A PNG data URL of what the page drew, when it could draw it.
 * @property {number} ms
 * @property {string} origin The origin the request came from (`null` for an opaque origin).
 */

/** Natural size of the test image (TEST_IMAGE_SIZE in src/assets.ts), in CSS pixels. */
const IMAGE_SIZE = 32;
const FONT_SAMPLE = 'Preflight';
let loads = 0;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {unknown} error */
function describeError(error) {
  return error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error);
}

/**
 * @param {RunSpec} spec
 * @returns {Promise<RunResult>}
 */
async function preflightRun(spec) {
  const started = performance.now();
  /** @type {RunResult} */
  const result = {
    kind: spec.kind ?? 'fetch',
    outcome: 'rejected',
    status: 0,
    statusText: '',
    error: '',
    readable: [],
    probed: {},
    body: '',
    observed: {},
    preview: null,
    ms: 0,
    origin: self.origin,
  };
  try {
    await RUN_KIND[result.kind](spec, result);
  } catch (error) {
    result.outcome = 'rejected';
    result.error ||= describeError(error);
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

/** @type {Record<RequestKind, (spec: RunSpec, result: RunResult) => Promise<void>>} */
const RUN_KIND = {
  /** fetch(): the promise resolves with a readable response, or rejects with a TypeError. */
  async fetch(spec, result) {
    /** @type {RequestInit} */
    const init = { method: spec.method, headers: spec.headers, credentials: spec.credentials };
    if (spec.body !== null && spec.method !== 'GET' && spec.method !== 'HEAD') init.body = spec.body;
    const res = await fetch(spec.url, init);
    result.outcome = 'resolved';
    result.status = res.status;
    result.statusText = res.statusText;
    res.headers.forEach((value, name) => result.readable.push([name, value]));
    for (const name of spec.probe ?? []) result.probed[name] = res.headers.get(name);
    result.body = (await res.text()).slice(0, 2000);
  },

  /** XMLHttpRequest: a `load` event with a readable response, or an `error` event (status 0). */
  async xhr(spec, result) {
    const xhr = new XMLHttpRequest();
    xhr.open(spec.method, spec.url);
    xhr.withCredentials = spec.credentials === 'include';
    for (const [name, value] of spec.headers) xhr.setRequestHeader(name, value);
    const event = await new Promise((resolve) => {
      for (const type of ['load', 'error', 'abort', 'timeout']) xhr.addEventListener(type, () => resolve(type));
      xhr.send(spec.body !== null && spec.method !== 'GET' && spec.method !== 'HEAD' ? spec.body : null);
    });
    result.observed.event = event;
    result.observed.withCredentials = xhr.withCredentials;
    if (event !== 'load') {
      result.status = xhr.status;
      result.error = `XMLHttpRequest ${event} event (status ${xhr.status})`;
      return;
    }
    result.outcome = 'resolved';
    result.status = xhr.status;
    result.statusText = xhr.statusText;
    for (const line of xhr.getAllResponseHeaders().trim().split(/\r\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) result.readable.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    }
    for (const name of spec.probe ?? []) result.probed[name] = xhr.getResponseHeader(name);
    result.body = xhr.responseText.slice(0, 2000);
  },

  /**
   * A web font: an @font-face rule naming the URL (fonts are always fetched in CORS mode,
   * credentials same-origin), then document.fonts.load(). Loaded, text in the font is 1.5 em
   * per character; blocked, the FontFace's status is `error` and the fallback is used.
   */
  async font(spec, result) {
    const family = `PreflightFont-${++loads}-${Math.random().toString(36).slice(2, 8)}`;
    const style = document.createElement('style');
    style.textContent = `@font-face { font-family: ${family}; src: url("${spec.url}") format("truetype"); }`;
    document.head.append(style);
    try {
      try {
        await document.fonts.load(`16px ${family}`);
      } catch (error) {
        result.error = `document.fonts.load: ${describeError(error)}`;
      }
      const face = [...document.fonts].find((f) => f.family === family);
      result.observed.status = face?.status ?? null;
      const canvas = document.createElement('canvas');
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
      ctx.font = '16px monospace';
      const fallbackWidth = Math.round(ctx.measureText(FONT_SAMPLE).width);
      ctx.font = `16px ${family}, monospace`;
      const width = Math.round(ctx.measureText(FONT_SAMPLE).width);
      Object.assign(result.observed, { width, fallbackWidth });
      // A picture of the sample text, as the page renders it (text never taints a canvas).
      canvas.width = Math.max(width, fallbackWidth) + 8;
      canvas.height = 24;
      ctx.font = `16px ${family}, monospace`;
      ctx.fillStyle = '#1a202c';
      ctx.fillText(FONT_SAMPLE, 4, 17);
      result.preview = canvas.toDataURL();
      if (face?.status === 'loaded') result.outcome = 'resolved';
      else result.error ||= `FontFace status: ${face?.status}`;
    } finally {
      style.remove();
    }
  },

  /** An <img> drawn to a 2D canvas: getImageData() and toDataURL() work, or throw SecurityError (tainted canvas). */
  async canvas(spec, result) {
    const img = await loadImage(spec, result);
    if (img === null) return;
    const canvas = document.createElement('canvas');
    canvas.width = IMAGE_SIZE;
    canvas.height = IMAGE_SIZE;
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    ctx.drawImage(img, 0, 0);
    try {
      result.observed.pixel = [...ctx.getImageData(1, 1, 1, 1).data].join(',');
      result.preview = canvas.toDataURL();
      result.outcome = 'resolved';
    } catch (error) {
      result.observed.pixel = null;
      result.error = describeError(error);
    }
  },

  /** The same <img> as a WebGL texture: texImage2D() accepts it (then its pixels are read back), or throws SecurityError. */
  async webgl(spec, result) {
    const img = await loadImage(spec, result);
    if (img === null) return;
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl');
    if (gl === null) {
      result.observed.webgl = false;
      result.error = 'WebGL is not available in this browser';
      return;
    }
    try {
      uploadTexture(gl, img, result);
    } finally {
      gl.getExtension('WEBGL_lose_context')?.loseContext(); // free the context now, not at garbage collection
    }
  },

  /**
   * CSS shape-outside: url(): a float the size of the test image, text beside it. The image's
   * left half is opaque: with the shape, lines start at half its width; ignored (a failed
   * CORS check), at its full width. There is no load event: wait for the resource timing
   * entry (recorded for failed loads too, with responseStatus 0), then for the layout.
   */
  async shape(spec, result) {
    const box = document.createElement('div');
    box.style.cssText = `display: flow-root; position: absolute; left: 0; top: 0; width: ${IMAGE_SIZE * 4}px; font: 8px/8px monospace; visibility: hidden`;
    const float = document.createElement('div');
    float.style.cssText = `float: left; width: ${IMAGE_SIZE}px; height: ${IMAGE_SIZE}px; shape-outside: url("${spec.url}")`;
    const text = document.createTextNode('x '.repeat(120));
    box.append(float, text);
    document.body.append(box);
    const lineStarts = () => {
      const range = document.createRange();
      range.selectNodeContents(text);
      const origin = box.getBoundingClientRect();
      /** @type {Map<number, number>} */
      const lines = new Map();
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        const top = Math.round(rect.top - origin.top);
        lines.set(top, Math.min(lines.get(top) ?? Infinity, Math.round(rect.left - origin.left)));
      }
      return [...lines.entries()].sort((a, b) => a[0] - b[0]).slice(0, IMAGE_SIZE / 8).map(([, left]) => left);
    };
    try {
      let starts = lineStarts(); // a layout starts the fetch
      // An engine without `responseStatus` (WebKit) records no entry at all for an image that
      // failed its CORS check: there, no entry after 3 s means no usable image.
      const timingReportsFailures = 'responseStatus' in PerformanceResourceTiming.prototype;
      const entry = await resourceEntry(spec.url, timingReportsFailures ? 10_000 : 3000);
      result.observed.responseStatus = entry?.responseStatus ?? null;
      starts = lineStarts();
      // A response that arrived may still be decoding: give the layout a moment to change.
      for (let waited = 0; entry !== undefined && entry.responseStatus !== 0 && starts[0] === IMAGE_SIZE && waited < 2000; waited += 20) {
        await sleep(20);
        starts = lineStarts();
      }
      result.observed.lineStarts = starts.join(',');
      result.observed.floatWidth = IMAGE_SIZE;
      if (starts.length === 0) result.error = 'no layout: this document is not rendered';
      else if (entry === undefined && !timingReportsFailures && starts.every((x) => x === IMAGE_SIZE)) {
        result.error = 'shape-outside ignored: text wraps around the float’s box (no resource timing entry: this engine records none for a failed load)';
      } else if (entry === undefined) result.error = 'the image was never fetched';
      else if (starts.every((x) => x === IMAGE_SIZE / 2)) result.outcome = 'resolved';
      else if (starts.every((x) => x === IMAGE_SIZE)) result.error = 'shape-outside ignored: text wraps around the float’s box';
      else result.error = `unexpected layout: lines start at ${starts.join(', ')} px`;
    } finally {
      box.remove();
    }
  },
};

/**
 * Upload `img` as a WebGL texture, then read it back through a framebuffer.
 * @param {WebGLRenderingContext} gl
 * @param {HTMLImageElement} img
 * @param {RunResult} result
 */
function uploadTexture(gl, img, result) {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  result.observed.renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  try {
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, img);
  } catch (error) {
    result.observed.texImage2D = error instanceof Error || error instanceof DOMException ? error.name : 'error';
    result.error = describeError(error);
    return;
  }
  result.observed.texImage2D = 'accepted';
  // Read the texture back through a framebuffer: the pixels really reached the GPU.
  gl.bindFramebuffer(gl.FRAMEBUFFER, gl.createFramebuffer());
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
  const pixels = new Uint8ClampedArray(IMAGE_SIZE * IMAGE_SIZE * 4);
  gl.readPixels(0, 0, IMAGE_SIZE, IMAGE_SIZE, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  const glError = gl.getError();
  if (glError !== gl.NO_ERROR) {
    result.error = `WebGL error ${glError}`;
    return;
  }
  const at = (1 * IMAGE_SIZE + 1) * 4;
  result.observed.pixel = [...pixels.subarray(at, at + 4)].join(',');
  const preview = document.createElement('canvas');
  preview.width = IMAGE_SIZE;
  preview.height = IMAGE_SIZE;
  /** @type {CanvasRenderingContext2D} */ (preview.getContext('2d')).putImageData(new ImageData(pixels, IMAGE_SIZE, IMAGE_SIZE), 0, 0);
  result.preview = preview.toDataURL();
  result.outcome = 'resolved';
}

/**
 * The resource timing entry of `url`, once the browser has one: Chromium records one for
 * failed loads too (`responseStatus` 0). Event-driven, so timer throttling does not slow it.
 * Read from the observer's own list: the performance timeline's buffer stops at 250 entries.
 * @param {string} url
 * @param {number} timeout
 * @returns {Promise<PerformanceResourceTiming | undefined>}
 */
function resourceEntry(url, timeout) {
  return new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      const entry = /** @type {PerformanceResourceTiming | undefined} */ (list.getEntriesByName(url)[0]);
      if (entry !== undefined) done(entry);
    });
    const timer = setTimeout(() => done(undefined), timeout);
    /** @param {PerformanceResourceTiming | undefined} entry */
    const done = (entry) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(entry);
    };
    observer.observe({ type: 'resource', buffered: true });
  });
}

/**
 * Load the spec's URL into an <img> with its crossorigin attribute.
 * @param {RunSpec} spec
 * @param {RunResult} result
 * @returns {Promise<HTMLImageElement | null>} null (and `result.error`) when the image did not load.
 */
async function loadImage(spec, result) {
  const img = new Image();
  const crossOrigin = spec.crossOrigin ?? 'anonymous';
  if (crossOrigin !== 'none') img.crossOrigin = crossOrigin;
  result.observed.crossOrigin = crossOrigin === 'none' ? null : crossOrigin;
  const loaded = await new Promise((resolve) => {
    img.onload = () => resolve(true);
    img.onerror = () => resolve(false);
    img.src = spec.url;
  });
  result.observed.loaded = loaded;
  if (!loaded) {
    result.error = '<img> error event: the image did not load';
    return null;
  }
  return img;
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
