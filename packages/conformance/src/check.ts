import type { CaseExpectation } from './cases.js';
import { headerValues, varyTokens, type RawResponse } from './client.js';

/** Which invariant a response breaks (see `responseInvariants`). */
export type InvariantId = 'acao-repeated' | 'acao-list' | 'acac-not-true' | 'wildcard-with-credentials' | 'vary-duplicate';

/**
 * The invariants every CORS response must hold, whatever was asked: one
 * `Access-Control-Allow-Origin` line holding one value, `Access-Control-Allow-Credentials`
 * exactly `true`, never `*` with credentials, no duplicate `Vary` tokens. Returns the broken
 * ones (empty when none). Used by `checkResponse` and by the audit.
 */
export function responseInvariants(res: RawResponse): Array<{ readonly id: InvariantId; readonly message: string }> {
  const out: Array<{ id: InvariantId; message: string }> = [];
  const acao = headerValues(res, 'access-control-allow-origin');
  if (acao.length > 1) out.push({ id: 'acao-repeated', message: `two Access-Control-Allow-Origin lines: ${JSON.stringify(acao)}` });
  if (acao.some((v) => v.includes(','))) out.push({ id: 'acao-list', message: `Access-Control-Allow-Origin holds a list: ${JSON.stringify(acao)}` });
  const acac = headerValues(res, 'access-control-allow-credentials');
  if (acac.some((v) => v !== 'true')) out.push({ id: 'acac-not-true', message: `Access-Control-Allow-Credentials is not exactly "true": ${JSON.stringify(acac)}` });
  if (acac.length > 0 && acao.includes('*')) out.push({ id: 'wildcard-with-credentials', message: 'Access-Control-Allow-Origin "*" together with credentials' });
  // Vary is a list: field lines are one list joined in order (RFC 9110 §5.3), so a list split
  // over several lines (Next.js sends its own Vary and ours as two) conforms; a token that
  // appears twice — on one line or across lines, in any letter case — does not.
  const vary = varyTokens(res);
  const dupes = vary.filter((t, i) => vary.indexOf(t) !== i);
  if (dupes.length > 0) out.push({ id: 'vary-duplicate', message: `duplicate Vary tokens: ${JSON.stringify(dupes)}` });
  return out;
}

/**
 * Compare a response with a case's expectation, plus the invariants every CORS response
 * must hold. Returns the list of failures (empty when the response conforms).
 */
export function checkResponse(res: RawResponse, expect: CaseExpectation): string[] {
  const failures: string[] = responseInvariants(res).map((i) => i.message);
  const vary = varyTokens(res);

  if (expect.status !== undefined) {
    const ok = expect.status === 'ok' ? res.status >= 200 && res.status < 300 : res.status === expect.status;
    if (!ok) failures.push(`status ${res.status}, expected ${expect.status}`);
  } else if (res.status >= 500) {
    failures.push(`status ${res.status}: a CORS request must never cause a server error`);
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const got = headerValues(res, name);
    if (got.length !== 1 || got[0] !== value) failures.push(`${name}: ${got.length === 0 ? 'absent' : JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
  }
  for (const name of expect.absent ?? []) {
    const got = headerValues(res, name);
    if (got.length > 0) failures.push(`${name} must be absent, got ${JSON.stringify(got)}`);
  }
  for (const token of expect.vary ?? []) {
    if (!vary.includes(token.toLowerCase()) && !vary.includes('*')) failures.push(`Vary lacks ${token} (Vary: ${JSON.stringify(headerValues(res, 'vary'))})`);
  }
  for (const token of expect.varyAbsent ?? []) {
    if (vary.includes(token.toLowerCase())) failures.push(`Vary must not contain ${token} (Vary: ${JSON.stringify(headerValues(res, 'vary'))})`);
  }
  if (expect.handler !== undefined) {
    const ran = headerValues(res, 'x-app-handler');
    if (expect.handler === null && ran.length > 0) failures.push(`the application ran (X-App-Handler: ${ran.join(', ')}) but must not have`);
    if (expect.handler !== null && (ran.length !== 1 || ran[0] !== expect.handler)) {
      failures.push(`X-App-Handler ${ran.length === 0 ? 'absent' : JSON.stringify(ran)}, expected ${JSON.stringify(expect.handler)}`);
    }
  }
  return failures;
}
