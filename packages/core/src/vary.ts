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
  const current = existing === undefined || existing === null ? '' : typeof existing === 'string' ? existing : Array.isArray(existing) ? existing.join(', ') : String(existing);
  const seen = tokens(current);
  if (seen.has('*')) return '*';
  let out = seen.size === 0 ? '' : current;
  for (const part of add.split(',')) {
    const token = part.trim();
    if (token === '') continue;
    const key = token.toLowerCase();
    if (key === '*') return '*';
    if (!seen.has(key)) {
      seen.add(key);
      out = out === '' ? token : /,[ \t]*$/.test(out) ? out + token : `${out}, ${token}`;
    }
  }
  return out === '' ? undefined : out;
}

function tokens(value: string): Set<string> {
  const set = new Set<string>();
  if (value === '') return set;
  for (const part of value.split(',')) {
    const t = part.trim().toLowerCase();
    if (t !== '') set.add(t);
  }
  return set;
}
