/**
 * Merge Vary tokens into a response's existing `Vary` value.
 *
 * Tokens are compared case-insensitively and never duplicated; `*` absorbs everything.
 * `add` is a comma-separated list (as in `CorsDecision.vary`). The existing value is the
 * *response's* own (never the request's Vary), as a string, an array of lines or a number;
 * its formatting is kept and new tokens are appended. Returns the new value, or
 * `undefined` when there is nothing to set.
 *
 * @example
 * ```ts
 * mergeVary('Accept-Encoding', 'Origin'); // 'Accept-Encoding, Origin'
 * mergeVary('origin', 'Origin');          // 'origin'
 * mergeVary('*', 'Origin');               // '*'
 * ```
 */
export function mergeVary(existing: string | number | readonly string[] | undefined | null, add: string): string | undefined {
  // The commonest call of all: tokens onto a response that has no Vary yet.
  if ((existing === undefined || existing === null) && add === lastAdd) return lastParsed.joined;
  const { tokens, joined } = parseAdd(add);
  // Exactly the tokens we would write (typically our own earlier write): nothing to do.
  if (existing === joined) return joined;
  const current = existing === undefined || existing === null ? '' : typeof existing === 'string' ? existing : Array.isArray(existing) ? existing.join(', ') : String(existing);
  // Fast paths allocate nothing: no Vary yet, or every token already there.
  if (isBlank(current)) return joined;
  if (hasToken(current, '*')) return '*';
  let out = current;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '*') return '*';
    if (!hasToken(out, token)) out = endsWithComma(out) ? out + token : `${out}, ${token}`;
  }
  return out;
}

interface ParsedAdd {
  readonly tokens: readonly string[];
  /** The tokens joined with ", ", or undefined when there are none. */
  readonly joined: string | undefined;
}

// `add` strings are a policy's constants ('Origin', the preflight tokens): parse each once.
const parsedAdds = new Map<string, ParsedAdd>();

// The last `add` seen: a policy passes the same few constant strings on every request, so a
// pointer comparison usually replaces the Map lookup.
let lastAdd: string | undefined;
let lastParsed: ParsedAdd = { tokens: [], joined: undefined };

function parseAdd(add: string): ParsedAdd {
  if (add === lastAdd) return lastParsed;
  let parsed = parsedAdds.get(add);
  if (parsed === undefined) {
    const tokens: string[] = [];
    for (const part of add.split(',')) {
      const token = part.trim();
      if (token !== '' && !tokens.some((t) => t.toLowerCase() === token.toLowerCase())) tokens.push(token);
    }
    const star = tokens.some((t) => t === '*');
    parsed = { tokens, joined: star ? '*' : tokens.length === 0 ? undefined : tokens.join(', ') };
    if (parsedAdds.size < 64) parsedAdds.set(add, parsed);
  }
  lastAdd = add;
  lastParsed = parsed;
  return parsed;
}

function isOws(c: number): boolean {
  return c === 32 || c === 9;
}

function isBlank(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isOws(c) && c !== 44) return false;
  }
  return true;
}

function endsWithComma(value: string): boolean {
  let i = value.length - 1;
  while (i >= 0 && isOws(value.charCodeAt(i))) i--;
  return i >= 0 && value.charCodeAt(i) === 44;
}

/** Is `token` an element of the comma-separated `list` (case-insensitive, OWS ignored)? No allocation. */
function hasToken(list: string, token: string): boolean {
  const n = list.length;
  const len = token.length;
  let i = 0;
  while (i <= n) {
    while (i < n && isOws(list.charCodeAt(i))) i++;
    let end = list.indexOf(',', i);
    if (end === -1) end = n;
    let last = end;
    while (last > i && isOws(list.charCodeAt(last - 1))) last--;
    if (last - i === len && sameIgnoringCase(list, i, token)) return true;
    i = end + 1;
  }
  return false;
}

function sameIgnoringCase(list: string, at: number, token: string): boolean {
  for (let k = 0; k < token.length; k++) {
    let a = list.charCodeAt(at + k);
    let b = token.charCodeAt(k);
    if (a === b) continue;
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    if (a !== b) return false;
  }
  return true;
}
