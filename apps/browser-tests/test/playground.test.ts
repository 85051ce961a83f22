import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { KIND_COMPARISON, launchChromium, openPlayground, runAllScenarios, runKindComparison, SCENARIOS, startPlayground, TEST_IMAGE_COLOUR, type Playground } from '@preflight/demo';

// The playground page itself, in Chromium: load it, run scenarios, read what it shows.
// It runs on its own default hosts (localhost for the page and the APIs, 127.0.0.1 for
// the second origin), as a person would open it.

let playground: Playground | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  playground = await startPlayground();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
  await openPlayground(page, playground);
});

afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

/** The results table, one entry per adapter row. */
function readResults(): Promise<Array<{ adapter: string; verdict: string; status: string; page: string; server: string }>> {
  return page.$$eval('#results tbody tr', (rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      return {
        adapter: (row as HTMLElement).dataset.adapter ?? '',
        verdict: (row as HTMLElement).dataset.verdict ?? '',
        status: cells[1]?.firstChild?.textContent ?? '',
        page: (cells[2] as HTMLElement | undefined)?.innerText ?? '',
        server: (cells[3] as HTMLElement | undefined)?.innerText ?? '',
      };
    }),
  );
}

async function clickScenario(id: string): Promise<void> {
  await page.click(`#scenarios li[data-scenario="${id}"] button`);
  await page.waitForSelector(`#scenarios li.active[data-scenario="${id}"]`);
  await page.waitForSelector('#results[data-state="done"]');
}

describe('the playground page', () => {
  it('lists the scenarios and the two page origins', async () => {
    expect(await page.title()).toBe('Preflight playground');
    expect(await page.$$eval('#scenarios li[data-scenario]', (items) => items.length)).toBe(SCENARIOS.length);
    expect(await page.textContent('#from-allowed')).toContain(playground!.config.origins.allowed);
    expect(await page.textContent('#from-other')).toContain(playground!.config.origins.other);
  });

  it('a refused header: every adapter blocked, the API names the header', async () => {
    await clickScenario('header-refused');
    const rows = await readResults();
    expect(rows.map((r) => r.adapter)).toEqual(playground!.apis.map((a) => a.adapter));
    for (const row of rows) {
      expect(row.verdict, row.adapter).toBe('blocked');
      expect(row.page, row.adapter).toContain('TypeError: Failed to fetch');
      expect(row.server, row.adapter).toContain('preflight refused');
      expect(row.server, row.adapter).toContain('header_not_allowed');
      expect(row.server, row.adapter).toContain('x-forbidden');
      expect(row.server, row.adapter).toContain('never sent');
    }
    expect(await page.$eval('#results', (t) => (t as HTMLElement).dataset.mismatches)).toBe('0');
  });

  it('a credentialed request: allowed, the cookie arrived, X-Request-Id readable and X-Secret not', async () => {
    await clickScenario('cookie');
    for (const row of await readResults()) {
      expect(row.verdict, row.adapter).toBe('allowed');
      expect(row.status, row.adapter).toBe('200');
      expect(row.page, row.adapter).toContain('cookie received');
      expect(row.page, row.adapter).toMatch(/x-request-id\s*:?\s*42/);
      expect(row.page, row.adapter).toMatch(/x-secret\s*:?\s*null \(not exposed\)/);
    }
  });

  it('the form: a PUT with X-Custom from the other origin is blocked by every adapter', async () => {
    await page.click('#from label:has(input[value="other"])');
    expect(await page.isChecked('#from input[value="other"]')).toBe(true);
    await page.selectOption('#method', 'PUT');
    await page.selectOption('#path', '/api/echo');
    await page.fill('#headers', 'X-Custom: from the form');
    await page.click('#send');
    await page.waitForSelector('#results[data-state="done"]');
    await page.waitForFunction(() => document.querySelector('#results-caption')?.textContent?.includes('PUT /api/echo'));
    for (const row of await readResults()) {
      expect(row.verdict, row.adapter).toBe('blocked');
      expect(row.server, row.adapter).toContain('origin_not_allowed');
      expect(row.server, row.adapter).toMatch(/^OPTIONS/);
    }
  });

  it('a web font from the page: every adapter serves it, the font loads', async () => {
    await clickScenario('font');
    const rows = await readResults();
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.verdict, row.adapter).toBe('allowed');
      expect(row.page, row.adapter).toContain('FontFace "loaded"');
      expect(row.server, row.adapter).toMatch(/^GET\s+200\s+allowed/);
    }
    expect(await page.$$eval('#results img.preview.font', (images) => images.length)).toBe(8);
  });

  it('an image on a canvas from the other origin: refused by every adapter, the image never loads', async () => {
    await clickScenario('canvas-other-origin');
    for (const row of await readResults()) {
      expect(row.verdict, row.adapter).toBe('blocked');
      expect(row.page, row.adapter).toContain('<img> error event');
      expect(row.page, row.adapter).toContain('The image did not load');
      expect(row.server, row.adapter).toContain('origin_not_allowed');
    }
  });

  it('the form: a WebGL texture from the page, read back pixel by pixel', async () => {
    await page.click('#kind label:has(input[value="webgl"])');
    await page.click('#from label:has(input[value="allowed"])');
    expect(await page.inputValue('#path')).toBe('/assets/test.png');
    expect(await page.isDisabled('#method')).toBe(true);
    expect(await page.isVisible('#crossorigin')).toBe(true);
    await page.selectOption('#crossorigin', 'anonymous');
    await page.click('#send');
    await page.waitForFunction(() => document.querySelector('#results-caption')?.textContent?.startsWith('WebGL:'));
    for (const row of await readResults()) {
      expect(row.verdict, row.adapter).toBe('allowed');
      expect(row.page, row.adapter).toContain(`readPixels() → rgba(${TEST_IMAGE_COLOUR.join(',')})`);
    }
    await page.click('#kind label:has(input[value="fetch"])');
    expect(await page.isDisabled('#method')).toBe(false);
    expect(await page.inputValue('#path')).toBe('/api/echo');
  });

  it('"Compare": every kind of request side by side, the same on every adapter', async () => {
    const rows = await runKindComparison(page);
    expect(rows.map((r) => r.kind)).toEqual(KIND_COMPARISON.map((k) => k.id));
    for (const [i, row] of rows.entries()) {
      const want = KIND_COMPARISON[i]!.expect;
      expect(row.cells.map((c) => c.from)).toEqual(['allowed', 'other']);
      for (const cell of row.cells) {
        expect(cell.verdicts, `${row.kind} from ${cell.from}`).toEqual(Array(8).fill(want[cell.from as 'allowed' | 'other']));
        expect(cell.ok).toBe(true);
      }
    }
    expect(await page.$eval('#kinds', (t) => (t as HTMLElement).dataset.failures)).toBe('0');
    // What the page drew: the font sample and the image read back from canvas and WebGL (allowed column).
    expect(await page.$$eval('#kinds td[data-from="allowed"] img.preview', (images) => images.length)).toBe(3);
    expect(await page.$$eval('#kinds .shape-sketch .line', (lines) => lines.length)).toBe(8);
  });

  it('"Run all": every adapter gives the expected result in every scenario', async () => {
    const rows = await runAllScenarios(page);
    expect(rows.map((r) => r.scenario)).toEqual(SCENARIOS.map((s) => s.id));
    for (const row of rows) {
      for (const cell of row.cells) expect(cell.ok, `${row.scenario} on ${cell.adapter}: ${cell.verdict} ${cell.status}`).toBe(true);
    }
    expect(await page.$eval('#matrix', (t) => (t as HTMLElement).dataset.failures)).toBe('0');
  });
});
