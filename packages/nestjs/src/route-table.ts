/**
 * A table of route patterns → values, matched against request paths the way the router of
 * the platform does: Express (path-to-regexp 8 patterns, first registered route wins,
 * case-insensitive and non-strict by default) or Fastify (find-my-way patterns, static over
 * parametric over wildcard, case-sensitive and strict by default, decoded paths).
 *
 * Patterns are compiled once into a trie of path segments. A lookup walks the request path
 * once, segment by segment; each trie node is visited at most once per lookup, so the work
 * is bounded by the path length and the table size. No regular expression ever runs on the
 * request path.
 */

/** How the platform's router matches paths. */
export interface RouteMatching {
  /** Which pattern syntax routes are written in: Express's path-to-regexp 8, or Fastify's find-my-way. */
  readonly syntax: 'path-to-regexp' | 'find-my-way';
  /** Static path segments compared case-sensitively. */
  readonly caseSensitive: boolean;
  /** `/a/` matches a route `/a` (and, on Express, `/a//` a route `/a/`). */
  readonly ignoreTrailingSlash: boolean;
}

/** One part of a parsed pattern: literal text, a parameter (one or more characters, no `/`), or a wildcard. */
type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'param' }
  | { readonly kind: 'wild'; readonly min: 0 | 1 };

/** A route registered in the table. */
export interface RouteEntry<T> {
  readonly value: T;
  /** Registration order (Express serves the first matching route). */
  readonly order: number;
  /** The method and pattern, for messages. */
  readonly route: string;
}

interface Wildcard<T> {
  /** Literal text before the wildcard in its segment (`/files/v-*rest` → `v-`). */
  readonly prefix: string;
  readonly min: 0 | 1;
  readonly leaf: Map<string, RouteEntry<T>>;
}

interface Node<T> {
  statics?: Map<string, Node<T>>;
  /** Segments mixing text and parameters (`:from-:to`, `file.:ext`): literal chunks with gaps. */
  complex?: Array<{ readonly chunks: readonly string[]; readonly gaps: readonly number[]; readonly node: Node<T> }>;
  param?: Node<T>;
  wildcards?: Array<Wildcard<T>>;
  leaf?: Map<string, RouteEntry<T>>;
}

const NAME_CHAR = /[\p{ID_Continue}$]/u;

/** Parse a path-to-regexp 8 pattern (as Nest's Express adapter registers it) into its alternatives. */
function parsePathToRegexp(path: string): Part[][] {
  let i = 0;
  const readName = (): string => {
    if (path[i] === '"') {
      const end = path.indexOf('"', i + 1);
      const name = path.slice(i + 1, end === -1 ? path.length : end);
      i = end === -1 ? path.length : end + 1;
      return name;
    }
    const start = i;
    while (i < path.length && NAME_CHAR.test(path[i]!)) i++;
    return path.slice(start, i);
  };
  const sequence = (inGroup: boolean): Part[][] => {
    let alternatives: Part[][] = [[]];
    const push = (part: Part) => {
      for (const alternative of alternatives) alternative.push(part);
    };
    while (i < path.length) {
      const c = path[i]!;
      if (c === '}' && inGroup) {
        i++;
        return alternatives;
      }
      if (c === '{') {
        i++;
        const inner = sequence(true);
        alternatives = alternatives.flatMap((before) => [before, ...inner.map((parts) => [...before, ...parts])]);
      } else if (c === '\\' && i + 1 < path.length) {
        push({ kind: 'text', text: path[i + 1]! });
        i += 2;
      } else if (c === ':') {
        i++;
        readName();
        push({ kind: 'param' });
      } else if (c === '*') {
        i++;
        // Nest converts a legacy unnamed `*` at the end into `{*path}` (may be empty).
        const named = readName() !== '';
        push({ kind: 'wild', min: named || i < path.length ? 1 : 0 });
      } else if (path.startsWith('(.*)', i)) {
        i += 4;
        push({ kind: 'wild', min: 0 });
      } else {
        push({ kind: 'text', text: c });
        i++;
      }
    }
    return alternatives;
  };
  return sequence(false);
}

/** Parse a find-my-way pattern (as Nest's Fastify adapter registers it) into its alternatives. */
function parseFindMyWay(path: string): Part[][] {
  const parts: Part[] = [];
  let optionalFrom = -1;
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === ':' && path[i + 1] === ':') {
      parts.push({ kind: 'text', text: ':' });
      i += 2;
    } else if (c === ':') {
      i++;
      while (i < path.length && !'/-.(:?'.includes(path[i]!)) i++;
      if (path[i] === '(') {
        // A regexp constraint: skip it (balanced parentheses); the parameter still matches one segment part.
        let depth = 0;
        for (; i < path.length; i++) {
          if (path[i] === '\\') i++;
          else if (path[i] === '(') depth++;
          else if (path[i] === ')' && --depth === 0) {
            i++;
            break;
          }
        }
      }
      if (path[i] === '?') {
        // Optional last parameter: `/a/:b?` also matches `/a`.
        i++;
        optionalFrom = parts.length;
      }
      parts.push({ kind: 'param' });
    } else if (c === '*') {
      parts.push({ kind: 'wild', min: 0 });
      i++;
    } else {
      parts.push({ kind: 'text', text: c });
      i++;
    }
  }
  if (optionalFrom === -1) return [parts];
  // Without the optional parameter, and without the `/` before it.
  const without = parts.slice(0, optionalFrom);
  const last = without.at(-1);
  if (last?.kind === 'text' && last.text === '/' && without.length > 1) without.pop();
  return [parts, without];
}

type Segment =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param' }
  | { readonly kind: 'complex'; readonly chunks: readonly string[]; readonly gaps: readonly number[] }
  | { readonly kind: 'wild'; readonly prefix: string; readonly min: 0 | 1 };

/** Split a parsed pattern (leading `/` included) into segments; a wildcard ends the pattern. */
function segmentsOf(parts: readonly Part[]): Segment[] {
  const segments: Segment[] = [];
  let current: Part[] = [];
  let started = false;
  const close = () => {
    segments.push(classify(current));
    current = [];
  };
  for (const part of parts) {
    if (part.kind === 'text' && part.text === '/') {
      if (started) close();
      started = true;
      continue;
    }
    started = true;
    if (part.kind === 'wild') {
      const prefix = current.every((p) => p.kind === 'text') ? current.map((p) => (p as { text: string }).text).join('') : '';
      segments.push({ kind: 'wild', prefix, min: part.min });
      // What follows a wildcard in the middle of a pattern is not matched (see the README's limits).
      return segments;
    }
    current.push(part);
  }
  close();
  return segments;
}

function classify(parts: readonly Part[]): Segment {
  if (parts.length === 1 && parts[0]!.kind === 'param') return { kind: 'param' };
  if (parts.every((p) => p.kind === 'text')) return { kind: 'static', text: parts.map((p) => (p as { text: string }).text).join('') };
  // Literal chunks separated by gaps: chunks[0] gap[0] chunks[1] … ; a gap is the number of
  // parameters between two chunks (each takes at least one character).
  const chunks: string[] = [''];
  const gaps: number[] = [];
  let previousParam = false;
  for (const part of parts) {
    if (part.kind === 'text') {
      chunks[chunks.length - 1] += part.text;
      previousParam = false;
    } else if (previousParam) {
      gaps[gaps.length - 1]!++;
    } else {
      gaps.push(1);
      chunks.push('');
      previousParam = true;
    }
  }
  return { kind: 'complex', chunks, gaps };
}

/**
 * Does `s` consist of `chunks[0]`, at least `gaps[0]` characters, `chunks[1]`, … ? Leftmost
 * placement of each middle chunk is optimal for such patterns, so one pass of `indexOf`
 * calls decides: O(length × pattern), no backtracking.
 */
function matchesComplex(chunks: readonly string[], gaps: readonly number[], s: string): boolean {
  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  if (!s.startsWith(first)) return false;
  let position = first.length;
  const end = s.length - last.length;
  if (end < position || !s.endsWith(last)) return false;
  for (let k = 1; k < chunks.length - 1; k++) {
    const found = s.indexOf(chunks[k]!, position + gaps[k - 1]!);
    if (found === -1 || found + chunks[k]!.length > end) return false;
    position = found + chunks[k]!.length;
  }
  return end - position >= gaps[gaps.length - 1]!;
}

/**
 * Route patterns → values, by method (`ALL` for `@All()` routes). Built once at bootstrap.
 */
export class RouteTable<T> {
  private readonly root: Node<T> = {};
  private order = 0;

  constructor(private readonly matching: RouteMatching) {}

  /**
   * Add a route. Returns the entry already registered for the same method and an
   * equivalent pattern, if any (the new route is then not added).
   */
  add(method: string, pattern: string, value: T): RouteEntry<T> | undefined {
    const entry: RouteEntry<T> = { value, order: this.order++, route: `${method} ${pattern}` };
    const alternatives = this.matching.syntax === 'find-my-way' ? parseFindMyWay(pattern) : parsePathToRegexp(pattern);
    for (const parts of alternatives) {
      const segments = segmentsOf(parts);
      if (this.matching.syntax === 'find-my-way' && this.matching.ignoreTrailingSlash && segments.length > 1) {
        const last = segments.at(-1)!;
        if (last.kind === 'static' && last.text === '') segments.pop();
      }
      const existing = this.insert(segments, method, entry);
      if (existing !== undefined) return existing;
    }
    return undefined;
  }

  private insert(segments: readonly Segment[], method: string, entry: RouteEntry<T>): RouteEntry<T> | undefined {
    let node = this.root;
    let leaf: Map<string, RouteEntry<T>> | undefined;
    for (const segment of segments) {
      if (segment.kind === 'static') {
        const key = this.matching.caseSensitive ? segment.text : segment.text.toLowerCase();
        node.statics ??= new Map();
        let next = node.statics.get(key);
        if (next === undefined) node.statics.set(key, (next = {}));
        node = next;
      } else if (segment.kind === 'param') {
        node = node.param ??= {};
      } else if (segment.kind === 'complex') {
        const chunks = this.matching.caseSensitive ? segment.chunks : segment.chunks.map((c) => c.toLowerCase());
        const key = `${chunks.join('\0')}|${segment.gaps.join(',')}`;
        node.complex ??= [];
        let found = node.complex.find((c) => `${c.chunks.join('\0')}|${c.gaps.join(',')}` === key);
        if (found === undefined) node.complex.push((found = { chunks, gaps: segment.gaps, node: {} }));
        node = found.node;
      } else {
        const prefix = this.matching.caseSensitive ? segment.prefix : segment.prefix.toLowerCase();
        node.wildcards ??= [];
        let found = node.wildcards.find((w) => w.prefix === prefix && w.min === segment.min);
        if (found === undefined) node.wildcards.push((found = { prefix, min: segment.min, leaf: new Map() }));
        leaf = found.leaf;
      }
    }
    leaf ??= node.leaf ??= new Map();
    const existing = leaf.get(method);
    if (existing !== undefined) return existing === entry ? undefined : existing;
    leaf.set(method, entry);
    return undefined;
  }

  /**
   * The route the platform serves `method` at `url` (the request target: path and query)
   * with, or `undefined` when none matches. The path is split lazily: only the segments the
   * walk reaches are looked at, so a long hostile path costs no more than its first
   * unmatched segment (plus the length checks of a wildcard).
   */
  find(method: string, url: string): RouteEntry<T> | undefined {
    let end = url.indexOf('?');
    if (end === -1) end = url.length;
    let path = url.slice(url.startsWith('/') ? 1 : 0, end);
    const { syntax, caseSensitive, ignoreTrailingSlash } = this.matching;
    const fastify = syntax === 'find-my-way';
    const trailing = path.length > 0 && path.endsWith('/');
    if (fastify && ignoreTrailingSlash && trailing) path = path.slice(0, -1);
    if (fastify) return this.first(this.root, new Segments(path, true, caseSensitive), 0, method);
    // Express: the first registered route that matches; non-strict routing also lets `/a/`
    // match the route `/a` (the trailing slash is optional in every route pattern).
    const best = this.all(this.root, new Segments(path, false, caseSensitive), 0, method, undefined);
    if (!ignoreTrailingSlash || !trailing) return best;
    return this.all(this.root, new Segments(path.slice(0, -1), false, caseSensitive), 0, method, best);
  }

  /** Does the rest of the path from segment `i` have the wildcard's prefix and length? */
  private wildcardMatches(wildcard: Wildcard<T>, segments: Segments, i: number): boolean {
    const first = segments.key(i)!;
    if (!first.startsWith(wildcard.prefix)) return false;
    if (wildcard.min === 0 || first.length > wildcard.prefix.length) return true;
    return segments.has(i + 1); // the wildcard takes the `/` and what follows
  }

  /** Fastify: static, then mixed, then parametric, then wildcard children; the first route found. */
  private first(node: Node<T>, segments: Segments, i: number, method: string): RouteEntry<T> | undefined {
    if (!segments.has(i)) return node.leaf === undefined ? undefined : pickFirst(node.leaf, method);
    const key = segments.key(i);
    if (key === undefined) return undefined; // not decodable: the router refuses the path
    const child = node.statics?.get(key);
    if (child !== undefined) {
      const found = this.first(child, segments, i + 1, method);
      if (found !== undefined) return found;
    }
    if (node.complex !== undefined && key !== '') {
      for (const { chunks, gaps, node: next } of node.complex) {
        if (!matchesComplex(chunks, gaps, key)) continue;
        const found = this.first(next, segments, i + 1, method);
        if (found !== undefined) return found;
      }
    }
    if (node.param !== undefined && key !== '') {
      const found = this.first(node.param, segments, i + 1, method);
      if (found !== undefined) return found;
    }
    const wildcards = node.wildcards;
    if (wildcards !== undefined) {
      for (const wildcard of wildcards) {
        if (!this.wildcardMatches(wildcard, segments, i)) continue;
        const found = pickFirst(wildcard.leaf, method);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /** Express: every matching route; the one registered first. */
  private all(node: Node<T>, segments: Segments, i: number, method: string, best: RouteEntry<T> | undefined): RouteEntry<T> | undefined {
    if (!segments.has(i)) return node.leaf === undefined ? best : earliest(best, pickEarliest(node.leaf, method));
    const key = segments.key(i)!;
    const child = node.statics?.get(key);
    if (child !== undefined) best = this.all(child, segments, i + 1, method, best);
    if (key !== '') {
      const complex = node.complex;
      if (complex !== undefined) {
        for (const { chunks, gaps, node: next } of complex) {
          if (matchesComplex(chunks, gaps, key)) best = this.all(next, segments, i + 1, method, best);
        }
      }
      if (node.param !== undefined) best = this.all(node.param, segments, i + 1, method, best);
    }
    const wildcards = node.wildcards;
    if (wildcards !== undefined) {
      for (const wildcard of wildcards) {
        if (this.wildcardMatches(wildcard, segments, i)) best = earliest(best, pickEarliest(wildcard.leaf, method));
      }
    }
    return best;
  }
}

/**
 * The segments of a request path (without its leading `/`), split on demand: segment `i`
 * is found from the end of segment `i - 1`, and its key (decoded on Fastify, lower-cased
 * when matching is case-insensitive) computed once.
 */
class Segments {
  /** Start offset of each segment found so far; the path has at least one (possibly empty) segment. */
  private readonly starts: number[] = [0];
  private readonly keys: Array<string | undefined> = [];
  /** True once the last segment is found. */
  private complete = false;

  constructor(
    private readonly path: string,
    private readonly decode: boolean,
    private readonly caseSensitive: boolean,
  ) {}

  /** Is there a segment `i`? */
  has(i: number): boolean {
    while (this.starts.length <= i && !this.complete) {
      const slash = this.path.indexOf('/', this.starts[this.starts.length - 1]);
      if (slash === -1) this.complete = true;
      else this.starts.push(slash + 1);
    }
    return i < this.starts.length;
  }

  /** The key of segment `i` (which must exist), or `undefined` when it cannot be decoded. */
  key(i: number): string | undefined {
    if (i < this.keys.length && this.keys[i] !== undefined) return this.keys[i];
    this.has(i + 1);
    const start = this.starts[i]!;
    const next = this.starts[i + 1];
    let segment = this.path.slice(start, next === undefined ? this.path.length : next - 1);
    if (this.decode && segment.includes('%')) {
      try {
        segment = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    }
    const key = this.caseSensitive ? segment : segment.toLowerCase();
    this.keys[i] = key;
    return key;
  }
}

/** Fastify: the method's own route; GET serves HEAD (exposeHeadRoutes); `@All()` serves every method. */
function pickFirst<T>(leaf: ReadonlyMap<string, RouteEntry<T>>, method: string): RouteEntry<T> | undefined {
  return leaf.get(method) ?? (method === 'HEAD' ? leaf.get('GET') : undefined) ?? leaf.get('ALL');
}

/** Express: the earliest of the method's route, a GET route for HEAD, and an `app.all()` route. */
function pickEarliest<T>(leaf: ReadonlyMap<string, RouteEntry<T>>, method: string): RouteEntry<T> | undefined {
  let best = earliest(leaf.get(method), leaf.get('ALL'));
  if (method === 'HEAD') best = earliest(best, leaf.get('GET'));
  return best;
}

function earliest<T>(a: RouteEntry<T> | undefined, b: RouteEntry<T> | undefined): RouteEntry<T> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.order <= b.order ? a : b;
}
