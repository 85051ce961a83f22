import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

/** A self-signed certificate made at run time (nothing to commit, nothing to download). */
export interface TestCertificate {
  /** The private key, PEM (PKCS#8, ECDSA P-256). */
  readonly key: string;
  /** The certificate, PEM. Also its own CA: pass it as `ca` to a client. */
  readonly cert: string;
  /**
   * Base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's
   * `--ignore-certificate-errors-spki-list` takes to trust this certificate.
   */
  readonly spkiSha256: string;
}

// ── A minimal DER writer: just what an X.509 v3 certificate needs ─────────────────────────
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...items: Buffer[]): Buffer => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => der(0x31, Buffer.concat(items));
const explicit = (n: number, item: Buffer): Buffer => der(0xa0 + n, item);
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}
/** A non-negative INTEGER in DER's one encoding: no leading zero byte unless the next byte's high bit is set. */
function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0 && (value[start + 1]! & 0x80) === 0) start++;
  const minimal = value.subarray(start);
  return der(0x02, minimal[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}
function utcTime(date: Date): Buffer {
  const s = date.toISOString(); // 2026-12-03T21:00:00.000Z → 261203210000Z
  return der(0x17, Buffer.from(`${s.slice(2, 4)}${s.slice(5, 7)}${s.slice(8, 10)}${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`, 'latin1'));
}
const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const commonName = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(cn, 'utf8')))));
function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand '::' and write eight 16-bit groups.
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/**
 * Make a self-signed certificate (ECDSA P-256, SHA-256) for `hosts` — DNS names and IP
 * addresses, all in the Subject Alternative Name — valid from an hour ago for `days` days.
 * Only `node:crypto`: no OpenSSL command, no dependency, no private key in the repository.
 * For TLS test servers (`http2.createSecureServer({ key, cert })`).
 *
 * @example
 * ```ts
 * import http2 from 'node:http2';
 * import { listen, selfSignedCertificate } from '@preflight/cors-conformance';
 *
 * const { key, cert } = selfSignedCertificate(['localhost', '127.0.0.1']);
 * const server = await listen(http2.createSecureServer({ key, cert }, (req, res) => res.end('ok')));
 * // a client trusts it with { ca: cert }; Chromium with --ignore-certificate-errors-spki-list=<spkiSha256>
 * await server.close();
 * ```
 */
export function selfSignedCertificate(hosts: readonly string[] = ['localhost', '127.0.0.1', '::1'], days = 7): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const name = commonName(hosts[0] ?? 'localhost');
  const altNames = hosts.map((h) => (isIP(h) === 0 ? der(0x82, Buffer.from(h, 'latin1')) : der(0x87, ipBytes(h))));
  const extensions = explicit(
    3,
    seq(
      seq(oid('2.5.29.17'), der(0x04, seq(...altNames))), // subjectAltName
      seq(oid('2.5.29.19'), der(0x04, seq())), // basicConstraints: not a CA
      seq(oid('2.5.29.37'), der(0x04, seq(oid('1.3.6.1.5.5.7.3.1')))), // extKeyUsage: serverAuth
    ),
  );
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ECDSA_WITH_SHA256,
    name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + days * 86_400_000))),
    name,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const certificate = seq(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = (label: string, body: Buffer): string => `-----BEGIN ${label}-----\n${body.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: pem('CERTIFICATE', certificate),
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}
