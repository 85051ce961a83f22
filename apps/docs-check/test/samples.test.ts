import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChecker, documentationFiles, extractSamples, writeSamples, type Sample, type SampleChecker, type WrittenSample } from '../src/index.js';

const pkg = resolve(import.meta.dirname, '..');
const root = resolve(pkg, '../..');
const layout = {
  root,
  outDir: join(pkg, '.samples'),
  preludeDir: join(pkg, 'preludes'),
  stubDir: join(pkg, 'stubs'),
};

const files = documentationFiles(root);
const docs = files.map((file) => ({ file, ...extractSamples(readFileSync(join(root, file), 'utf8'), file) }));

// Negative controls, checked in the same program: samples that are wrong the way docs rot
// (a misspelt option, a wrong option type) must fail, at the right Markdown line.
const CONTROL = [
  '# control',
  '',
  '```ts',
  "import { cors } from '@preflight/cors-node';",
  '',
  "cors({ origins: ['https://app.example.com'] });",
  '```',
  '',
  '<!-- docs-check: prelude express-app -->',
  '```ts',
  "import { cors } from '@preflight/cors-node';",
  "app.use(cors({ origin: 'https://app.example.com', maxAge: '600' }));",
  '```',
].join('\n');
const control = extractSamples(CONTROL, 'test/control.md');

let checker: SampleChecker;
const written = new Map<Sample, WrittenSample>();

beforeAll(() => {
  const all = [...docs.flatMap((d) => d.samples), ...control.samples];
  for (const w of writeSamples(all, layout)) written.set(w.sample, w);
  checker = createChecker([...written.values()], join(pkg, 'tsconfig.samples.json'));
});

describe('the checker', () => {
  it('finds the documentation and its samples', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('packages/core/README.md');
    expect(files).toContain('CONTRIBUTING.md');
    expect(files).toContain('docs/migration.md');
    expect(files).toContain('docs/security.md');
    expect(docs.reduce((n, d) => n + d.samples.length, 0)).toBeGreaterThanOrEqual(35);
  });

  it('uses every prelude (preludes are only ever type-checked inside the samples that use them)', () => {
    const used = new Set(docs.flatMap((d) => d.samples.filter((s) => s.skip === undefined).flatMap((s) => s.preludes)));
    const preludes = readdirSync(layout.preludeDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(preludes.filter((p) => !used.has(p))).toEqual([]);
  });

  it('runs with valid compiler options', () => {
    expect(checker.optionProblems).toEqual([]);
  });

  it('fails a sample with a misspelt option, at its Markdown line', () => {
    const diagnostics = checker.diagnosticsOf(written.get(control.samples[0]!)!);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/^test\/control\.md:6:\d+ TS2561: .*'origins'.*Did you mean to write 'origin'\?/);
  });

  it('fails a fragment with an option of the wrong type, after its prelude', () => {
    const diagnostics = checker.diagnosticsOf(written.get(control.samples[1]!)!);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/^test\/control\.md:12:\d+ TS2322: .*'string' is not assignable to type 'number'/);
  });
});

describe.each(docs)('$file', ({ file, samples, problems }) => {
  it('has no misspelt or misplaced docs-check directive', () => {
    expect(problems).toEqual([]);
  });

  for (const sample of samples) {
    const name = `${file}:${sample.line}`;
    if (sample.skip !== undefined) {
      it.skip(`${name} (skipped: ${sample.skip})`, () => {});
    } else {
      it(`${name} type-checks`, () => {
        expect(checker.diagnosticsOf(written.get(sample)!)).toEqual([]);
      });
    }
  }
});
