import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { playwrightPage } from './engines/chromium.js';
import { ENGINE_LABELS, launchEngine, selectedEngines } from './engines/index.js';
import { evaluate, waitFor, type Engine, type EngineId, type EnginePage } from './engines/types.js';
import { startPlayground, type Playground } from './playground.js';

/** One scenario's row of the matrix, as the page shows it. */
export interface MatrixRow {
  readonly scenario: string;
  readonly title: string;
  readonly expected: string;
  /** Where this engine's expected result is not the standard's: the engine and the reason (empty otherwise). */
  readonly engineNote: string;
  readonly cells: ReadonlyArray<{ readonly adapter: string; readonly verdict: string; readonly status: number; readonly ok: boolean }>;
}

/** Open the playground and wait until its script has loaded the configuration. Returns the engine the page says it runs in. */
export async function openPlayground(page: EnginePage, playground: Playground): Promise<{ readonly engine: string; readonly label: string }> {
  await page.goto(playground.pageUrl);
  return waitFor(
    page,
    () => (document.body.dataset.ready === 'true' ? { engine: document.body.dataset.engine ?? '', label: document.querySelector('#engine')?.textContent ?? '' } : null),
    null,
  );
}

/** Click the button `selector` and wait until `done` matches an element. */
async function clickAndWait(page: EnginePage, selector: string, done: string): Promise<void> {
  await evaluate(page, (s) => (document.querySelector(s) as HTMLElement).click(), selector);
  await waitFor(page, (d) => document.querySelector(d) !== null, done, 180_000);
}

/** Click "Run all" and read the matrix back from the page. */
export async function runAllScenarios(page: EnginePage): Promise<MatrixRow[]> {
  await clickAndWait(page, '#run-all', '#matrix[data-state="done"]');
  return evaluate(page, () =>
    [...document.querySelectorAll('#matrix tbody tr')].map((row) => {
      const tr = row as HTMLElement;
      const expectedCell = tr.querySelector('td[data-expected]') as HTMLElement;
      return {
        scenario: tr.dataset.scenario ?? '',
        title: tr.dataset.title ?? '',
        engineNote: expectedCell.title,
        expected: `${expectedCell.dataset.expected}${/\d{3}/.exec(expectedCell.textContent ?? '')?.[0] ? ` ${/\d{3}/.exec(expectedCell.textContent ?? '')![0]}` : ''}`,
        cells: [...tr.querySelectorAll<HTMLElement>('td[data-adapter]')].map((td) => ({
          adapter: td.dataset.adapter ?? '',
          verdict: td.dataset.verdict ?? '',
          status: Number(td.dataset.status),
          ok: td.dataset.ok === 'true',
        })),
      };
    }),
  null);
}

/** One row of the "request kinds" panel: the same request from the allowed and from the other origin. */
export interface KindRow {
  readonly kind: string;
  readonly title: string;
  readonly cells: ReadonlyArray<{ readonly from: string; readonly expected: string; readonly verdicts: readonly string[]; readonly ok: boolean }>;
}

/** Click "Compare" in the request kinds panel and read it back from the page. */
export async function runKindComparison(page: EnginePage): Promise<KindRow[]> {
  await clickAndWait(page, '#run-kinds', '#kinds[data-state="done"]');
  return evaluate(page, () =>
    [...document.querySelectorAll('#kinds tbody tr')].map((row) => {
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
  null);
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
    `${row.expected}${row.engineNote ? ' ◆' : ''}`,
    ...row.cells.map((c) => `${c.ok ? '✓' : '✗'} ${c.verdict}${c.status ? ` ${c.status}` : ''}`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * `pnpm demo --check`: start the playground on free ports, then in each engine (Chromium,
 * Firefox, WebKit, one after the other; `engines` picks some) open the page headless, run
 * every scenario and the kinds panel through it, print the tables. Returns the number of
 * mismatches over all engines.
 */
export async function runCheck(print: (text: string) => void = console.log, engines: readonly EngineId[] = selectedEngines()): Promise<number> {
  const playground = await startPlayground();
  let failures = 0;
  try {
    for (const id of engines) failures += await checkIn(id, playground, print);
  } finally {
    await playground.close();
  }
  return failures;
}

async function checkIn(id: EngineId, playground: Playground, print: (text: string) => void): Promise<number> {
  const started = Date.now();
  let engine: Engine | undefined;
  try {
    engine = await launchEngine(id);
    const context = await engine.newContext();
    const page = await context.newPage();
    const shown = await openPlayground(page, playground);
    print(`\n${engine.name} — the page says it runs in ${shown.label}\n`);
    if (shown.engine !== id) {
      print(`✗ the page detected the engine "${shown.engine}", not ${id}`);
      return 1;
    }
    const rows = await runAllScenarios(page);
    const labels = new Map(playground.apis.map((a) => [a.adapter as string, a.label]));
    print(formatMatrix(rows, labels));
    for (const row of rows.filter((r) => r.engineNote)) print(`◆ ${row.title}: ${row.engineNote}`);
    const kinds = await runKindComparison(page);
    print(`\nEvery kind of request, side by side:\n${formatKinds(kinds, labels.size)}`);
    const failures =
      rows.reduce((n, row) => n + row.cells.filter((c) => !c.ok).length, 0) +
      kinds.reduce((n, row) => n + row.cells.reduce((m, c) => m + c.verdicts.filter((v) => v !== c.expected).length, 0), 0);
    const total = rows.reduce((n, row) => n + row.cells.length, 0) + kinds.reduce((n, row) => n + row.cells.length * labels.size, 0);
    print(
      failures === 0
        ? `\n✓ ${ENGINE_LABELS[id]}: ${total} results, every adapter as expected (${rows.length} scenarios and ${kinds.length} kinds × 2 origins, × ${labels.size} adapters, ${((Date.now() - started) / 1000).toFixed(1)} s).`
        : `\n✗ ${ENGINE_LABELS[id]}: ${failures} of ${total} results differ from the expected one.`,
    );
    return failures;
  } finally {
    await engine?.close();
  }
}

/** Save a screenshot of the playground after running every scenario, the kinds panel and one preset. */
export async function saveScreenshot(path: string): Promise<void> {
  const playground = await startPlayground();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1320, height: 900 }, deviceScaleFactor: 1 });
    await openPlayground(playwrightPage(page), playground);
    await runAllScenarios(playwrightPage(page));
    await runKindComparison(playwrightPage(page));
    await page.click('#scenarios li[data-scenario="canvas-other-origin"] button');
    await page.waitForSelector('#results[data-state="done"]');
    await page.screenshot({ path, fullPage: true });
  } finally {
    await browser?.close();
    await playground.close();
  }
}
