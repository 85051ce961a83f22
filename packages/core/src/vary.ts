/**
 * Merge Vary tokens into a response's existing `Vary` value.
 *
 * Tokens are compared case-insensitively and never duplicated; `*` absorbs everything.
 * The existing value is the *response's* own (never the request's Vary). Returns the new
 * value, or `undefined` when there is nothing to set.
 *
 * @example
 * ```ts
 * mergeVary('Accept-Encoding', 'Origin'); // 'Accept-Encoding, Origin'
 * mergeVary('origin', 'Origin');          // 'origin'
 * mergeVary('*', 'Origin');               // '*'
 * ```
 */
export function mergeVary(existing: string | number | readonly string[] | undefined | null, add: string): string | undefined {
  if (existing === undefined || existing === null || existing === '') return add === '' ? undefined : add;
  const current = typeof existing === 'string' ? existing : Array.isArray(existing) ? existing.join(', ') : String(existing);
  if (add === '') return current;
  const seen = tokens(current);
  if (seen.has('*')) return '*';
  let out = current;
  for (const token of add.split(', ')) {
    const key = token.toLowerCase();
    if (key === '*') return '*';
    if (!seen.has(key)) {
      seen.add(key);
      out = out.length === 0 || /,\s*$/.test(out) ? out + token : `${out}, ${token}`;
    }
  }
  return out;
}

function tokens(value: string): Set<string> {
  const set = new Set<string>();
  for (const part of value.split(',')) {
    const t = part.trim().toLowerCase();
    if (t !== '') set.add(t);
  }
  return set;
}
