/**
 * Finds the code samples of a Markdown file: every fenced block whose info string is `ts`,
 * `typescript`, `js`, `javascript` or `mjs`, with the `docs-check` directives written in HTML
 * comments on the lines right above its opening fence:
 *
 * - `<!-- docs-check: skip (reason) -->` — not checked; the reason is required and shown in the
 *   test report. Keep these rare.
 * - `<!-- docs-check: prelude name[, name…] -->` — the sample is a fragment: prepend
 *   `preludes/<name>.ts` (which declares what the fragment uses, such as `app`).
 * - `<!-- docs-check: file name.ts -->` — write the sample under this file name, so that a
 *   later sample of the same Markdown file can import it (`import { AppModule } from './app.module.js'`).
 *
 * A directive that is misspelt, or not followed by a sample, is reported as a problem: a typo
 * never silently turns a check off.
 */

/** The languages that are checked, by info string. */
const LANGUAGES: Readonly<Record<string, 'ts' | 'js'>> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};

/** One code sample of a Markdown file. */
export interface Sample {
  /** The Markdown file, relative to the repository root (`packages/node/README.md`). */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: 'ts' | 'js';
  /** The code, with the fence's indentation removed. */
  readonly code: string;
  /** Columns of indentation removed from every line (for error positions). */
  readonly indent: number;
  /** Why the sample is not checked, when it is marked `skip`. */
  readonly skip: string | undefined;
  /** Preludes to prepend, in order. */
  readonly preludes: readonly string[];
  /** The file name to write the sample under, when one is given. */
  readonly fileName: string | undefined;
}

/** What `extractSamples` found. */
export interface Extracted {
  readonly samples: Sample[];
  /** Misspelt or misplaced directives, as `file:line: message`. */
  readonly problems: string[];
}

const FENCE = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/;
const DIRECTIVE = /^\s*<!--\s*docs-check:\s*(.*?)\s*-->\s*$/;
const MENTION = /^\s*<!--.*docs-check/;

interface Directives {
  skip?: string;
  preludes: string[];
  fileName?: string;
}

/** Parse one directive into `into`; returns a problem, or undefined. */
function parseDirective(text: string, into: Directives): string | undefined {
  const skip = /^skip\s*\((.*)\)$/.exec(text);
  if (skip) {
    const reason = skip[1]!.trim();
    if (reason === '') return 'a skip needs a reason: <!-- docs-check: skip (why) -->';
    into.skip = reason;
    return undefined;
  }
  if (/^skip\b/.test(text)) return 'a skip needs its reason in parentheses: <!-- docs-check: skip (why) -->';
  const prelude = /^prelude\s+(.+)$/.exec(text);
  if (prelude) {
    const names = prelude[1]!.split(',').map((n) => n.trim());
    if (names.some((n) => !/^[a-z0-9][a-z0-9-]*$/.test(n))) return `prelude names are lower-case words separated by commas, got "${prelude[1]}"`;
    into.preludes.push(...names);
    return undefined;
  }
  const file = /^file\s+(\S+)$/.exec(text);
  if (file) {
    if (!/^[\w.-]+\.(ts|js)$/.test(file[1]!)) return `a sample file name is a plain name ending in .ts or .js, got "${file[1]}"`;
    into.fileName = file[1]!;
    return undefined;
  }
  return `unknown directive "${text}" (known: skip (reason), prelude <names>, file <name.ts>)`;
}

/** Extract the samples of one Markdown file. `file` is the path shown in reports. */
export function extractSamples(markdown: string, file: string): Extracted {
  const lines = markdown.split(/\r?\n/);
  const samples: Sample[] = [];
  const problems: string[] = [];
  // Directives waiting for their sample: [line number, text].
  let pending: Array<[number, string]> = [];

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const directive = DIRECTIVE.exec(text);
    if (directive) {
      pending.push([i + 1, directive[1]!]);
      continue;
    }
    const open = FENCE.exec(text);
    if (!open) {
      if (MENTION.test(text)) problems.push(`${file}:${i + 1}: a docs-check directive must be alone on its line, as <!-- docs-check: … -->`);
      for (const [line] of pending) problems.push(`${file}:${line}: this docs-check directive is not directly above a code sample`);
      pending = [];
      continue;
    }
    const indent = open[1]!.length;
    const fence = open[2]!;
    const info = open[3]!.toLowerCase();
    // Find the closing fence: same character, at least as long, nothing else on the line.
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const t = lines[j]!;
      const trimmed = t.trimStart();
      if (trimmed.startsWith(fence[0]!.repeat(fence.length)) && /^(`+|~+)\s*$/.test(trimmed)) break;
      // Remove up to `indent` spaces, as CommonMark does for an indented fence.
      let k = 0;
      while (k < indent && t[k] === ' ') k++;
      body.push(t.slice(k));
    }
    const lang = LANGUAGES[info];
    const directives: Directives = { preludes: [] };
    for (const [line, d] of pending) {
      const problem = parseDirective(d, directives);
      if (problem !== undefined) problems.push(`${file}:${line}: ${problem}`);
    }
    if (lang === undefined) {
      for (const [line] of pending) problems.push(`${file}:${line}: this docs-check directive is above a \`${info || 'plain'}\` block, which is not checked`);
    } else {
      samples.push({
        file, line: i + 1, lang, code: body.join('\n'), indent,
        skip: directives.skip, preludes: directives.preludes, fileName: directives.fileName,
      });
    }
    pending = [];
    i = j; // continue after the closing fence (or at the end of an unclosed block)
  }
  for (const [line] of pending) problems.push(`${file}:${line}: this docs-check directive is not directly above a code sample`);
  return { samples, problems };
}
