// The Jest binding must be able to fail: run Jest on the two fixtures and check its JSON report.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { cases } from '@preflight/cors-conformance';

function jest(fixture) {
  const run = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--json', '--testMatch', `<rootDir>/test/fixtures/${fixture}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(run.status, 0, `jest on ${fixture} must fail`);
  const report = JSON.parse(run.stdout);
  return report.testResults.flatMap((file) => file.assertionResults);
}

const started = jest('start-throws.fixture.mjs');
const failed = started.filter((t) => t.status === 'failed');
assert.equal(failed.length, cases.length, `every case fails when start() throws (${failed.length}/${cases.length})`);
assert.equal(started.filter((t) => t.status === 'pending').length, 0, 'none skipped');
for (const t of failed) assert.match(t.failureMessages.join('\n'), /start-throws harness failed to start \(config \w+\): Error: the framework refused a route/);

const naive = jest('naive.fixture.mjs');
const naiveFailed = naive.filter((t) => t.status === 'failed');
assert.ok(naiveFailed.length > cases.length / 2, `a wrong CORS layer fails most cases (${naiveFailed.length}/${cases.length})`);
const refused = naive.find((t) => t.title.startsWith('simple-refused:'));
assert.equal(refused.status, 'failed');
assert.match(refused.failureMessages.join('\n'), /access-control-allow-origin must be absent/);

console.log(`jest binding: start() throwing fails ${failed.length}/${cases.length} cases with the error; a wrong layer fails ${naiveFailed.length}/${cases.length}`);
