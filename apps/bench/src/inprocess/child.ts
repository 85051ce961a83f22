/**
 * The in-process part in processes of its own. With `{ caseId, framework, settings }`: one group
 * (started by `runInprocess`); with in-process settings: the whole part (started by run.ts under
 * another Node, so that every group's process uses that Node too). Progress goes to stderr, the
 * rows as JSON on the last line of stdout.
 */
import { measureGroup, runInprocess, type GroupSettings, type InprocessSettings } from './run.js';
import type { Framework } from './drivers.js';

type Group = { caseId: string; framework: Framework; settings: GroupSettings };
const arg = JSON.parse(process.argv[2] ?? '{}') as Group | Omit<InprocessSettings, 'log'>;
const log = (line: string): boolean => process.stderr.write(`${line}\n`);
const rows = 'caseId' in arg ? await measureGroup(arg.caseId, arg.framework, arg.settings, log) : await runInprocess({ ...arg, log });
process.stdout.write(`${JSON.stringify(rows)}\n`);
