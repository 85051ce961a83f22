import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultLog } from './results.js';
import {
  ADAPTERS,
  ENGINE_DIFFERENCES,
  ENGINE_LABELS,
  evaluate,
  KIND_COMPARISON,
  launchEngine,
  openPlayground,
  runAllScenarios,
  runKindComparison,
  SCENARIOS,
  selectedEngines,
  startPlayground,
  TEST_IMAGE_COLOUR,
  waitFor,
  type Engine,
  type EngineId,
  type EnginePage,
  type Playground,
} from '@preflight/demo';

// The playground page itself, in each engine: load it, run scenarios through its buttons and
// form, read what it shows. It runs on its own default hosts (localhost for the page and
// the APIs, 127.0.0.1 for the second origin), as a person would open it. The page is driven
// through the DOM (element.click(), a form field's value and its change event), the same
// way in every engine.

let playground: Playground | undefined;

beforeAll(async () => {
  playground = await startPlayground();
});

afterAll(async () => {
  await playground?.close();
});

/** DOM actions on the page, by selector. */
function dom(page: EnginePage) {
  return {
    click: (selector: string) =>
      evaluate(page, (s) => {
        const element = document.querySelector<HTMLElement>(s);
        if (element === null) throw new Error(`no ${s}`);
        element.click();
      }, selector),
    /** Set a field's value as a user would (then `input` and `change`). */
    fill: (selector: string, value: string) =>
      evaluate(page, ({ s, v }) => {
        const field = document.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(s)!;
        field.value = v;
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.dispatchEvent(new Event('change', { bubbles: true }));
      }, { s: selector, v: value }),
    field: (selector: string) =>
      evaluate(page, (s) => {
        const field = document.querySelector<HTMLInputElement>(s)!;
        const style = getComputedStyle(field);
        return { value: field.value, checked: field.checked, disabled: field.disabled, visible: style.display !== 'none' && style.visibility !== 'hidden' && field.getClientRects().length > 0 };
      }, selector),
    text: (selector: string) => evaluate(page, (s) => document.querySelector(s)?.textContent ?? null, selector),
    count: (selector: string) => evaluate(page, (s) => document.querySelectorAll(s).length, selector),
    data: (selector: string, name: string) => evaluate(page, ({ s, n }) => (document.querySelector(s) as HTMLElement | null)?.dataset[n] ?? null, { s: selector, n: name }),
    waitFor: (selector: string) => waitFor(page, (s) => document.querySelector(s) !== null, selector, 120_000),
    /** The results table, one entry per adapter row. */
    results: () =>
      evaluate(page, () =>
        [...document.querySelectorAll('#results tbody tr')].map((row) => {
          const cells = row.querySelectorAll('td');
          return {
            adapter: (row as HTMLElement).dataset.adapter ?? '',
            verdict: (row as HTMLElement).dataset.verdict ?? '',
            status: cells[1]?.firstChild?.textContent ?? '',
            page: (cells[2] as HTMLElement | undefined)?.innerText ?? '',
            server: (cells[3] as HTMLElement | undefined)?.innerText ?? '',
          };
        }),
      null),
  };
}

describe.each(selectedEngines())('%s', (engineId) => {
  const log = new ResultLog('playground', engineId);
  /** A test whose verdict goes to results/playground.<engine>.json. */
  const test = (title: string, fn: () => Promise<void>, engines?: Partial<Record<EngineId, { reason: string }>>) =>
    it(title, () => log.check('all', { id: title, title, kind: 'page', expect: {}, ...(engines ? { engines } : {}) }, fn));
  let engine: Engine | undefined;
  let page: EnginePage;
  let ui: ReturnType<typeof dom>;
  let shown: { engine: string; label: string };

  beforeAll(async () => {
    log.begin();
    engine = await launchEngine(engineId);
    page = await (await engine.newContext()).newPage();
    ui = dom(page);
    shown = await openPlayground(page, playground!);
  });

  afterAll(async () => {
    log.write(engine);
    await engine?.close();
  });

  async function clickScenario(id: string): Promise<void> {
    await ui.click(`#scenarios li[data-scenario="${id}"] button`);
    await ui.waitFor(`#scenarios li.active[data-scenario="${id}"]`);
    await ui.waitFor('#results[data-state="done"]');
  }

  describe(`the playground page in ${ENGINE_LABELS[engineId]}`, () => {
    test('shows the engine it runs in, lists the scenarios and the two page origins', async () => {
      expect(shown.engine).toBe(engineId);
      expect(shown.label).toMatch(engineId === 'webkit' ? /^WebKit / : new RegExp(`^${ENGINE_LABELS[engineId]} ${engine!.version.split('.')[0]}\\.`));
      expect(await evaluate(page, () => document.title, null)).toBe('Preflight playground');
      expect(await ui.count('#scenarios li[data-scenario]')).toBe(SCENARIOS.length);
      expect(await ui.text('#from-allowed')).toContain(playground!.config.origins.allowed);
      expect(await ui.text('#from-other')).toContain(playground!.config.origins.other);
    });

    test('a refused header: every adapter blocked, the API names the header', async () => {
      await clickScenario('header-refused');
      const rows = await ui.results();
      expect(rows.map((r) => r.adapter)).toEqual(playground!.apis.map((a) => a.adapter));
      for (const row of rows) {
        expect(row.verdict, row.adapter).toBe('blocked');
        expect(row.page, row.adapter).toMatch(/TypeError: /);
        expect(row.server, row.adapter).toContain('preflight refused');
        expect(row.server, row.adapter).toContain('header_not_allowed');
        expect(row.server, row.adapter).toContain('x-forbidden');
        expect(row.server, row.adapter).toContain('never sent');
      }
      expect(await ui.data('#results', 'mismatches')).toBe('0');
    });

    test('a credentialed request: allowed, the cookie arrived, X-Request-Id readable and X-Secret not', async () => {
      await clickScenario('cookie');
      for (const row of await ui.results()) {
        expect(row.verdict, row.adapter).toBe('allowed');
        expect(row.status, row.adapter).toBe('200');
        expect(row.page, row.adapter).toContain('cookie received');
        expect(row.page, row.adapter).toMatch(/x-request-id\s*:?\s*42/);
        expect(row.page, row.adapter).toMatch(/x-secret\s*:?\s*null \(not exposed\)/);
      }
    });

    test('the form: a PUT with X-Custom from the other origin is blocked by every adapter', async () => {
      await ui.click('#from input[value="other"]');
      expect((await ui.field('#from input[value="other"]')).checked).toBe(true);
      await ui.fill('#method', 'PUT');
      await ui.fill('#path', '/api/echo');
      await ui.fill('#headers', 'X-Custom: from the form');
      await ui.click('#send');
      await waitFor(page, () => document.querySelector('#results-caption')?.textContent?.includes('PUT /api/echo') && document.querySelector('#results[data-state="done"]') !== null, null, 120_000);
      for (const row of await ui.results()) {
        expect(row.verdict, row.adapter).toBe('blocked');
        expect(row.server, row.adapter).toContain('origin_not_allowed');
        expect(row.server, row.adapter).toMatch(/^OPTIONS/);
      }
    });

    test('a web font from the page: every adapter serves it, the font loads', async () => {
      await clickScenario('font');
      const rows = await ui.results();
      expect(rows).toHaveLength(ADAPTERS.length);
      for (const row of rows) {
        expect(row.verdict, row.adapter).toBe('allowed');
        expect(row.page, row.adapter).toContain('FontFace "loaded"');
        // WebKit sends no Origin for fonts (ENGINE_DIFFERENCES.webkitFonts): the API sees a plain request.
        expect(row.server, row.adapter).toMatch(engineId === 'webkit' ? /^GET\s+200\s+no Origin: not a CORS request/ : /^GET\s+200\s+allowed/);
      }
      expect(await ui.count('#results img.preview.font')).toBe(ADAPTERS.length);
    }, { webkit: { reason: ENGINE_DIFFERENCES.webkitFonts } });

    test('an image on a canvas from the other origin: refused by every adapter, the image never loads', async () => {
      await clickScenario('canvas-other-origin');
      for (const row of await ui.results()) {
        expect(row.verdict, row.adapter).toBe('blocked');
        expect(row.page, row.adapter).toContain('<img> error event');
        expect(row.page, row.adapter).toContain('The image did not load');
        expect(row.server, row.adapter).toContain('origin_not_allowed');
      }
    });

    test('the form: a WebGL texture from the page, read back pixel by pixel', async () => {
      await ui.click('#kind input[value="webgl"]');
      await ui.click('#from input[value="allowed"]');
      expect((await ui.field('#path')).value).toBe('/assets/test.png');
      expect((await ui.field('#method')).disabled).toBe(true);
      expect((await ui.field('#crossorigin')).visible).toBe(true);
      await ui.fill('#crossorigin', 'anonymous');
      await ui.click('#send');
      await waitFor(page, () => document.querySelector('#results-caption')?.textContent?.startsWith('WebGL:') && document.querySelector('#results[data-state="done"]') !== null, null, 120_000);
      for (const row of await ui.results()) {
        expect(row.verdict, row.adapter).toBe('allowed');
        expect(row.page, row.adapter).toContain(`readPixels() → rgba(${TEST_IMAGE_COLOUR.join(',')})`);
      }
      await ui.click('#kind input[value="fetch"]');
      expect((await ui.field('#method')).disabled).toBe(false);
      expect((await ui.field('#path')).value).toBe('/api/echo');
    });

    test('"Compare": every kind of request side by side, the same on every adapter (as this engine must give it)', async () => {
      const rows = await runKindComparison(page);
      expect(rows.map((r) => r.kind)).toEqual(KIND_COMPARISON.map((k) => k.id));
      for (const [i, row] of rows.entries()) {
        const want = KIND_COMPARISON[i]!.expect;
        expect(row.cells.map((c) => c.from)).toEqual(['allowed', 'other']);
        for (const cell of row.cells) {
          const from = cell.from as 'allowed' | 'other';
          expect(cell.verdicts, `${row.kind} from ${cell.from}`).toEqual(Array(ADAPTERS.length).fill(want.engines?.[engineId]?.[from] ?? want[from]));
          expect(cell.ok).toBe(true);
        }
      }
      expect(await ui.data('#kinds', 'failures')).toBe('0');
      // What the page drew: the font sample and the image read back from canvas and WebGL (allowed column).
      expect(await ui.count('#kinds td[data-from="allowed"] img.preview')).toBe(3);
      expect(await ui.count('#kinds .shape-sketch .line')).toBe(8); // the eight text lines the page lays out beside the float
    }, { webkit: { reason: ENGINE_DIFFERENCES.webkitFonts } });

    test('"Run all": every adapter gives the expected result in every scenario', async () => {
      const rows = await runAllScenarios(page);
      expect(rows.map((r) => r.scenario)).toEqual(SCENARIOS.map((s) => s.id));
      for (const row of rows) {
        const want = SCENARIOS.find((s) => s.id === row.scenario)!.expect;
        expect(row.expected, row.scenario).toMatch(new RegExp(`^${(want.engines?.[engineId] ?? want).browser}`));
        for (const cell of row.cells) expect(cell.ok, `${row.scenario} on ${cell.adapter}: ${cell.verdict} ${cell.status}`).toBe(true);
      }
      expect(await ui.data('#matrix', 'failures')).toBe('0');
    }, { webkit: { reason: ENGINE_DIFFERENCES.webkitFonts } });
  });
});
