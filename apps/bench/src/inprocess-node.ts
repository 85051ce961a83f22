/**
 * The in-process part in a process of its own, so that it can run under another Node (run.ts
 * starts it with the Node 24 binary; every group's child process then uses that Node too).
 * The argument is JSON settings (`InprocessSettings` without the logger); progress goes to
 * stderr, the rows as JSON on the last line of stdout.
 */
import { runInprocess, type InprocessSettings } from './inprocess/run.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as Omit<InprocessSettings, 'log'>;
const rows = await runInprocess({ ...settings, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify(rows)}\n`);
