// One in-process group (JSON `{ caseId, framework, settings }`, from `runInprocess`), or the whole part (JSON settings,
// from run.ts under another Node, so that every group's process uses it too). Rows: JSON on stdout.
import { measureGroup, runInprocess, type GroupSettings } from './run.js';
import type { Framework } from './drivers.js';

type Arg = { caseId: string; framework: Framework; settings: GroupSettings } | Omit<Parameters<typeof runInprocess>[0], 'log'>;
const arg = JSON.parse(process.argv[2] ?? '{}') as Arg;
const log = (line: string): boolean => process.stderr.write(`${line}\n`);
const rows = 'caseId' in arg ? await measureGroup(arg.caseId, arg.framework, arg.settings, log) : await runInprocess({ ...arg, log });
process.stdout.write(`${JSON.stringify(rows)}\n`);
