import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLink, codeSpan, documentationFiles, headingAnchors, headingSlug, relativeLinks } from '../src/index.js';

const root = resolve(import.meta.dirname, '../../..');

describe('the link checker', () => {
  it('computes GitHub heading anchors', () => {
    expect(headingSlug('Migrating from `@fastify/cors`')).toBe('migrating-from-fastifycors');
    expect(headingSlug('From `cors` (Express, Connect, node:http)')).toBe('from-cors-express-connect-nodehttp');
    expect(headingSlug('How it differs from `app.enableCors()`')).toBe('how-it-differs-from-appenablecors');
    expect([...headingAnchors('# A\n## A\n```md\n# B\n```\n### C d')]).toEqual(['a', 'a-1', 'c-d']);
  });

  it('reads link texts that are code spans, with backticks inside', () => {
    const [a, b] = relativeLinks('[`x-y`](a.ts) and [``rejects `await register()` now``](b.ts) ![img](c.png) [web](https://x.dev)', 'd.md');
    expect(codeSpan(a!.text)).toBe('x-y');
    expect(codeSpan(b!.text)).toBe('rejects `await register()` now');
    expect(relativeLinks('```md\n[a](nowhere.md)\n```', 'd.md')).toEqual([]);
  });

  it('reports a missing file, a missing heading, and a test name or case id that does not exist', () => {
    const check = (markdown: string) => relativeLinks(markdown, 'docs/x.md').map((l) => checkLink(l, root));
    expect(check('[a](../README.md#packages) [`simple-refused`](../packages/conformance/src/cases.ts)')).toEqual([undefined, undefined]);
    expect(check('[a](../nowhere.md)')).toEqual(['docs/x.md:1: ../nowhere.md does not exist']);
    expect(check('[a](../README.md#no-such-heading)')).toEqual(['docs/x.md:1: README.md has no heading #no-such-heading']);
    expect(check('[`no-such-case`](../packages/conformance/src/cases.ts)')).toEqual([
      'docs/x.md:1: packages/conformance/src/cases.ts has no test or case named "no-such-case"',
    ]);
    expect(check("[`refuses origin: true (the cors package's \"reflect every origin\")`](../packages/core/test/config.test.ts)")).toEqual([undefined]);
  });
});

describe.each(documentationFiles(root))('links of %s', (file) => {
  it('point to existing files, headings, tests and conformance cases', () => {
    const links = relativeLinks(readFileSync(join(root, file), 'utf8'), file);
    expect(links.map((l) => checkLink(l, root)).filter((p) => p !== undefined)).toEqual([]);
  });
});
