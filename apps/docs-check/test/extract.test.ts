import { describe, expect, it } from 'vitest';
import { extractSamples } from '../src/extract.js';

const md = (...lines: string[]): string => lines.join('\n');

describe('extractSamples', () => {
  it('finds ts, typescript, js and mjs blocks with their fence line, and nothing else', () => {
    const { samples, problems } = extractSamples(
      md('# t', '```ts', 'const a = 1;', '```', '```sh', 'npm i', '```', '```typescript', 'let b;', '```', '```js', 'var c;', '```', '```mjs', 'd;', '```', '```json', '{}', '```', '```', 'plain', '```'),
      'x.md',
    );
    expect(problems).toEqual([]);
    expect(samples.map((s) => [s.line, s.lang, s.code])).toEqual([
      [2, 'ts', 'const a = 1;'],
      [8, 'ts', 'let b;'],
      [11, 'js', 'var c;'],
      [14, 'js', 'd;'],
    ]);
  });

  it('removes the indentation of a fence inside a list item, and keeps the code inside it', () => {
    const { samples } = extractSamples(md('1. Step:', '   ```ts', '   if (x) {', '     y();', '   }', '   ```'), 'x.md');
    expect(samples[0]).toMatchObject({ line: 2, indent: 3, code: 'if (x) {\n  y();\n}' });
  });

  it('does not end a block at a fence of another kind or a shorter one, and does not read samples inside a block', () => {
    const { samples } = extractSamples(md('````md', '```ts', 'not a sample', '```', '````', '```ts', 'a ~~~ b', '~~~', '```'), 'x.md');
    expect(samples.map((s) => [s.line, s.code])).toEqual([[6, 'a ~~~ b\n~~~']]);
  });

  it('reads the directives on the lines right above a fence', () => {
    const { samples, problems } = extractSamples(
      md('<!-- docs-check: prelude express-app, logger -->', '<!-- docs-check: file app.module.ts -->', '```ts', 'x;', '```', '', '  <!--docs-check: skip (shows another library) -->', '  ```ts', '  y;', '  ```'),
      'x.md',
    );
    expect(problems).toEqual([]);
    expect(samples[0]).toMatchObject({ preludes: ['express-app', 'logger'], fileName: 'app.module.ts', skip: undefined });
    expect(samples[1]).toMatchObject({ preludes: [], fileName: undefined, skip: 'shows another library' });
  });

  it('reports a skip without a reason, an unknown directive, a bad file name, and a directive far from its block', () => {
    const { samples, problems } = extractSamples(
      md(
        '<!-- docs-check: skip -->', '```ts', 'a;', '```',
        '<!-- docs-check: skip () -->', '```ts', 'b;', '```',
        '<!-- docs-check: prelud express-app -->', '```ts', 'c;', '```',
        '<!-- docs-check: file ../x.ts -->', '```ts', 'd;', '```',
        '<!-- docs-check: skip (far) -->', '', '```ts', 'e;', '```',
        '<!-- docs-check: skip (not code) -->', '```sh', 'f', '```',
        'prose may mention <!-- docs-check: skip (inline) --> anywhere on a line',
        '<!-- docs-check: skip (at the end) -->',
      ),
      'x.md',
    );
    expect(problems).toEqual([
      'x.md:1: a skip needs its reason in parentheses: <!-- docs-check: skip (why) -->',
      'x.md:5: a skip needs a reason: <!-- docs-check: skip (why) -->',
      'x.md:9: unknown directive "prelud express-app" (known: skip (reason), prelude <names>, file <name.ts>)',
      'x.md:13: a sample file name is a plain name ending in .ts or .js, got "../x.ts"',
      'x.md:17: this docs-check directive is not directly above a code sample',
      'x.md:22: this docs-check directive is above a `sh` block, which is not checked',
      'x.md:27: this docs-check directive is not directly above a code sample',
    ]);
    // A sample whose directive was wrong is still checked, never silently skipped.
    expect(samples.filter((s) => s.skip !== undefined)).toEqual([]);
    expect(samples).toHaveLength(5);
  });

  it('reports a docs-check comment that is not alone on its line', () => {
    const { problems } = extractSamples(md('<!-- docs-check: skip (x) --> text', '```ts', 'a;', '```'), 'x.md');
    expect(problems).toEqual(['x.md:1: a docs-check directive must be alone on its line, as <!-- docs-check: … -->']);
  });
});
