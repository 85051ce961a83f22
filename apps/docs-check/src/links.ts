import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** A relative link of a Markdown file. */
export interface DocLink {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  readonly line: number;
  /** The link text, without the brackets. */
  readonly text: string;
  /** The target as written (`../packages/core/README.md#options`). */
  readonly target: string;
}

// [text](target) where the text may hold code spans (even ones with brackets); no images.
const LINK = /(?<!!)\[((?:``[^`]*(?:`[^`]+)*``|`[^`]*`|[^\]`])*)\]\(([^)\s]+)\)/g;

/** The relative links of a Markdown file (not inside fenced blocks; http(s) and mailto links left out). */
export function relativeLinks(markdown: string, file: string): DocLink[] {
  const links: DocLink[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((text, i) => {
    const f = /^\s*(`{3,}|~{3,})/.exec(text);
    if (f) {
      if (fence === undefined) fence = f[1]!;
      else if (f[1]!.startsWith(fence[0]!) && f[1]!.length >= fence.length) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    for (const m of text.matchAll(LINK)) {
      const target = m[2]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:…
      links.push({ file, line: i + 1, text: m[1]!, target });
    }
  });
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (`#` headings outside fenced blocks), duplicates numbered as GitHub does. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const slug = headingSlug(h[1]!);
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

/** The content of a code span used as a link text (`` `a` `` or ``` ``a `b` c`` ```), else undefined. */
export function codeSpan(text: string): string | undefined {
  const m = /^(`+)\s?([\s\S]*?)\s?\1$/.exec(text);
  return m ? m[2] : undefined;
}

/** Test sources name their tests in string literals: compare without the escaping backslashes. */
function unescape(source: string): string {
  return source.replace(/\\(['"`\\])/g, '$1');
}

const TEST_SOURCE = /(\.test\.ts|\/conformance\/src\/cases\.ts)$/;

/**
 * Problems of one link: a target that does not exist, an anchor that no heading of the
 * target has, or — for a link from a code span to a test file or to the conformance cases —
 * a test name or case id that the file does not contain.
 */
export function checkLink(link: DocLink, root: string): string | undefined {
  const at = `${link.file}:${link.line}`;
  const [pathPart, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const path = pathPart === '' ? link.file : normalize(join(dirname(link.file), decodeURI(pathPart)));
  if (relative(root, join(root, path)).startsWith('..')) return `${at}: ${link.target} points outside the repository`;
  const full = join(root, path);
  if (!existsSync(full)) return `${at}: ${link.target} does not exist`;
  if (anchor !== undefined && anchor !== '') {
    if (!path.endsWith('.md')) return undefined; // line anchors (#L10) of source files are not checked
    if (!headingAnchors(readFileSync(full, 'utf8')).has(anchor)) return `${at}: ${path} has no heading #${anchor}`;
  }
  if (TEST_SOURCE.test(path) && statSync(full).isFile()) {
    const cited = codeSpan(link.text);
    const namesTheFile = cited === path || cited === pathPart;
    if (cited !== undefined && !namesTheFile && !unescape(readFileSync(full, 'utf8')).includes(cited)) {
      return `${at}: ${path} has no test or case named "${cited}"`;
    }
  }
  return undefined;
}
