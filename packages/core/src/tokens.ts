/**
 * RFC 9110 `tchar` as a lookup table: `!#$%&'*+-.^_`|~`, digits and letters.
 * Indexed by char code; codes >= 128 are never token characters.
 */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/** Is `value` a non-empty RFC 9110 token? One pass, no regex. */
export function isToken(value: string): boolean {
  const n = value.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** Methods a browser upper-cases itself (Fetch "normalize a method"). PATCH is not one of them. */
export const NORMALIZED_METHODS: ReadonlySet<string> = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** Methods that never need to appear in Access-Control-Allow-Methods. */
export const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/** Methods a browser refuses to send (Fetch "forbidden method"). */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);
