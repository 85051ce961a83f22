/**
 * One in-process group (a case on one framework, every side; or the `flat` group) in a
 * process of its own.
 * Started by `runInprocess`; the argument is JSON `{ caseId, framework, settings }`.
 * Progress goes to stderr, the rows as JSON on the last line of stdout.
 */
import type { Framework } from './drivers.js';
import { measureGroup, type GroupSettings } from './run.js';

const { caseId, framework, settings } = JSON.parse(process.argv[2] ?? '{}') as { caseId: string; framework: Framework; settings: GroupSettings };
const rows = await measureGroup(caseId, framework, settings, (line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${JSON.stringify(rows)}\n`);
