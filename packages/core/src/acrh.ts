/** Longest Access-Control-Request-Headers value that is parsed; longer values are refused. */
export const MAX_ACRH_LENGTH = 8192;
/** Most header names accepted in one Access-Control-Request-Headers value. */
export const MAX_ACRH_ELEMENTS = 128;

const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

/**
 * Parse an Access-Control-Request-Headers value in one linear pass, without a regex.
 *
 * Accepts what browsers send (`a,b,c`) and what proxies and Node produce from it
 * (spaces or tabs around commas, empty elements from joined lines, any letter case).
 * Returns the names lower-cased, in order, without duplicates; `undefined` when the value
 * is too long, has too many elements, or any element is not an HTTP token.
 */
export function parseRequestHeaders(value: string): string[] | undefined {
  const n = value.length;
  if (n > MAX_ACRH_LENGTH) return undefined;
  const names: string[] = [];
  let i = 0;
  while (i < n) {
    let c = value.charCodeAt(i);
    // skip OWS and empty elements
    if (c === 32 || c === 9 || c === 44) {
      i++;
      continue;
    }
    const start = i;
    let lower = true;
    while (i < n) {
      c = value.charCodeAt(i);
      if (c >= 128 || TCHAR[c] === 0) break;
      if (c >= 65 && c <= 90) lower = false;
      i++;
    }
    if (i === start) return undefined; // a character that is neither token, OWS nor comma
    let name = value.slice(start, i);
    // after a token only OWS then a comma (or the end) may follow
    while (i < n && ((c = value.charCodeAt(i)) === 32 || c === 9)) i++;
    if (i < n && value.charCodeAt(i) !== 44) return undefined;
    if (!lower) name = name.toLowerCase();
    if (!names.includes(name)) {
      if (names.length === MAX_ACRH_ELEMENTS) return undefined;
      names.push(name);
    }
  }
  return names;
}
