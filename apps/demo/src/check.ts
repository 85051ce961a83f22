import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startPlayground, type Playground } from './playground.js';

/** One scenario's row of the matrix, as the page shows it. */
export interface MatrixRow {
  readonly scenario: string;
  readonly title: string;
  readonly expected: string;
  readonly cells: ReadonlyArray<{ readonly adapter: string; readonly verdict: string; readonly status: number; readonly ok: boolean }>;
}

/** Open the playground and wait until its script has loaded the configuration. */
export async function openPlayground(page: Page, playground: Playground): Promise<void> {
  await page.goto(playground.pageUrl);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Click "Run all" and read the matrix back from the page. */
export async function runAllScenarios(page: Page): Promise<MatrixRow[]> {
  await page.click('#run-all');
  await page.waitForSelector('#matrix[data-state="done"]', { timeout: 120_000 });
  return page.$$eval('#matrix tbody tr', (rows) =>
    rows.map((row) => {
      const tr = row as HTMLElement;
      const expectedCell = tr.querySelector('td[data-expected]') as HTMLElement;
      return {
        scenario: tr.dataset.scenario ?? '',
        title: tr.dataset.title ?? '',
        expected: `${expectedCell.dataset.expected}${/\d{3}/.exec(expectedCell.textContent ?? '')?.[0] ? ` ${/\d{3}/.exec(expectedCell.textContent ?? '')![0]}` : ''}`,
        cells: [...tr.querySelectorAll<HTMLElement>('td[data-adapter]')].map((td) => ({
          adapter: td.dataset.adapter ?? '',
          verdict: td.dataset.verdict ?? '',
          status: Number(td.dataset.status),
          ok: td.dataset.ok === 'true',
        })),
      };
    }),
  );
}

/** One row of the "request kinds" panel: the same request from the allowed and from the other origin. */
export interface KindRow {
  readonly kind: string;
  readonly title: string;
  readonly cells: ReadonlyArray<{ readonly from: string; readonly expected: string; readonly verdicts: readonly string[]; readonly ok: boolean }>;
}

/** Click "Compare" in the request kinds panel and read it back from the page. */
export async function runKindComparison(page: Page): Promise<KindRow[]> {
  await page.click('#run-kinds');
  await page.waitForSelector('#kinds[data-state="done"]', { timeout: 120_000 });
  return page.$$eval('#kinds tbody tr', (rows) =>
    rows.map((row) => {
      const tr = row as HTMLElement;
      return {
        kind: tr.dataset.kind ?? '',
        title: tr.querySelector('th div')?.textContent ?? '',
        cells: [...tr.querySelectorAll<HTMLElement>('td[data-from]')].map((td) => ({
          from: td.dataset.from ?? '',
          expected: td.dataset.expected ?? '',
          verdicts: (td.dataset.verdicts ?? '').split(','),
          ok: td.dataset.ok === 'true',
        })),
      };
    }),
  );
}

/** Render the kinds panel as text: one line per kind, the verdict from each origin on every API. */
export function formatKinds(rows: readonly KindRow[], apiCount: number): string {
  const cell = (c: KindRow['cells'][number]): string =>
    `${c.ok ? '✓' : '✗'} ${c.expected}${c.ok ? ` on all ${apiCount}` : ` expected, got ${c.verdicts.join(' ')}`}`;
  const header = ['kind', 'from the allowed origin', 'from the other origin'];
  const body = rows.map((r) => [r.title, ...r.cells.map(cell)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Render the matrix as a fixed-width text table; mismatches are marked with `✗`. */
export function formatMatrix(rows: readonly MatrixRow[], labels: ReadonlyMap<string, string>): string {
  const adapters = rows[0]?.cells.map((c) => c.adapter) ?? [];
  const header = ['scenario', 'expected', ...adapters.map((a) => labels.get(a) ?? a)];
  const body = rows.map((row) => [
    row.title,
    row.expected,
    ...row.cells.map((c) => `${c.ok ? '✓' : '✗'} ${c.verdict}${c.status ? ` ${c.status}` : ''}`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * `pnpm demo --check`: start the playground on free ports, run every scenario in headless
 * Chromium through the page, print the table. Returns the number of mismatches.
 */
export async function runCheck(print: (text: string) => void = console.log): Promise<number> {
  const started = Date.now();
  const playground = await startPlayground();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await openPlayground(page, playground);
    const rows = await runAllScenarios(page);
    const labels = new Map(playground.apis.map((a) => [a.adapter as string, a.label]));
    print(formatMatrix(rows, labels));
    const kinds = await runKindComparison(page);
    print(`\nEvery kind of request, side by side:\n${formatKinds(kinds, labels.size)}`);
    const failures =
      rows.reduce((n, row) => n + row.cells.filter((c) => !c.ok).length, 0) +
      kinds.reduce((n, row) => n + row.cells.reduce((m, c) => m + c.verdicts.filter((v) => v !== c.expected).length, 0), 0);
    const total = rows.reduce((n, row) => n + row.cells.length, 0) + kinds.reduce((n, row) => n + row.cells.length * labels.size, 0);
    print(
      failures === 0
        ? `\n✓ ${total} results, every adapter as expected (${rows.length} scenarios and ${kinds.length} kinds × 2 origins, × ${labels.size} adapters, ${((Date.now() - started) / 1000).toFixed(1)} s).`
        : `\n✗ ${failures} of ${total} results differ from the expected one.`,
    );
    return failures;
  } finally {
    await browser?.close();
    await playground.close();
  }
}

/** Save a screenshot of the playground after running every scenario, the kinds panel and one preset. */
export async function saveScreenshot(path: string): Promise<void> {
  const playground = await startPlayground();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1320, height: 900 }, deviceScaleFactor: 1 });
    await openPlayground(page, playground);
    await runAllScenarios(page);
    await runKindComparison(page);
    await page.click('#scenarios li[data-scenario="canvas-other-origin"] button');
    await page.waitForSelector('#results[data-state="done"]');
    await page.screenshot({ path, fullPage: true });
  } finally {
    await browser?.close();
    await playground.close();
  }
}
