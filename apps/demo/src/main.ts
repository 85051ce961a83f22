// `pnpm demo`: the playground on loopback. `pnpm demo --check`: every scenario, headless.
// `pnpm demo --screenshot <file.png>`: a screenshot of the page (docs/playground.png).
import { runCheck, saveScreenshot } from './check.js';
import { selectedEngines } from './engines/index.js';
import { startPlayground } from './playground.js';

const args = process.argv.slice(2);

function option(name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

async function main(): Promise<number | undefined> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('Usage: pnpm demo [--port <page port, default 5170>] | --check [--engine chromium,firefox,webkit] | --screenshot <file.png>');
    return 0;
  }
  if (args.includes('--check')) return (await runCheck(console.log, selectedEngines(option('--engine') ?? process.env.PREFLIGHT_ENGINES))) === 0 ? 0 : 1;
  const screenshot = option('--screenshot');
  if (screenshot !== undefined) {
    await saveScreenshot(screenshot);
    console.log(`Saved ${screenshot}`);
    return 0;
  }

  const port = Number(option('--port') ?? process.env.PREFLIGHT_DEMO_PORT ?? 5170);
  if (!Number.isInteger(port) || port <= 0 || port > 65_500) throw new Error(`--port: expected a port number, got ${option('--port')}`);
  const playground = await startPlayground({ pagePort: port, otherPort: port + 1, apiPort: port + 11 });
  const width = Math.max(...playground.apis.map((a) => a.label.length));
  console.log(`
Preflight playground

  Open   ${playground.pageUrl}
         (the page's origin is the one the policy allows)
  Other  ${playground.otherUrl}  (a second origin, not allowed; the page uses it in a frame)

  APIs, one per adapter, all with the same policy:
${playground.apis.map((a) => `    ${a.label.padEnd(width)}  ${a.url}`).join('\n')}

Ctrl-C to stop.`);

  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal's process group
  // and relayed by tsx); a second SIGINT must not fall back to Node's default (die by signal).
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  await playground.close();
  console.log('\nStopped.');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code ?? 0;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
