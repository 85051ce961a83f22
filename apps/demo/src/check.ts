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
        title: tr.querySelector('th')?.textContent ?? '',
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
    const failures = rows.reduce((n, row) => n + row.cells.filter((c) => !c.ok).length, 0);
    const total = rows.reduce((n, row) => n + row.cells.length, 0);
    print(
      failures === 0
        ? `\n✓ ${total} results, every adapter as expected (${rows.length} scenarios × ${labels.size} adapters, ${((Date.now() - started) / 1000).toFixed(1)} s).`
        : `\n✗ ${failures} of ${total} results differ from the expected one.`,
    );
    return failures;
  } finally {
    await browser?.close();
    await playground.close();
  }
}

/** Save a screenshot of the playground after running every scenario and one preset. */
export async function saveScreenshot(path: string): Promise<void> {
  const playground = await startPlayground();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1320, height: 900 }, deviceScaleFactor: 1 });
    await openPlayground(page, playground);
    await runAllScenarios(page);
    await page.click('#scenarios li[data-scenario="header-refused"] button');
    await page.waitForSelector('#results[data-state="done"]');
    await page.screenshot({ path, fullPage: true });
  } finally {
    await browser?.close();
    await playground.close();
  }
}
