// selfSignedCertificate: what a TLS test server gets from it loads, every time. Its random serial once gave about one
// certificate in 256 a non-minimal INTEGER, which OpenSSL refuses ("asn1 encoding routines::illegal padding").
import type * as nodeCrypto from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { selfSignedCertificate } from '../src/index.js';

// The serial's random bytes, chosen by the test where it queues some (the rest of the 16 bytes: 0x11).
const queued = vi.hoisted(() => [] as number[][]);
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof nodeCrypto>();
  const randomBytes = (size: number): Buffer => {
    const start = queued.shift();
    return start === undefined ? crypto.randomBytes(size) : Buffer.from([...start, ...Array<number>(size - start.length).fill(0x11)]);
  };
  return { ...crypto, default: { ...crypto, randomBytes }, randomBytes };
});

/** Why TLS refuses the certificate and its key (undefined: it loads). */
function refusal({ key, cert }: { key: string; cert: string }): string | undefined {
  try {
    createSecureContext({ key, cert });
    return undefined;
  } catch (error) {
    return String(error);
  }
}

describe('selfSignedCertificate', () => {
  it('loads in TLS whatever bytes the serial starts with (leading zero bytes, a high bit to keep positive)', () => {
    const starts = [[0x00, 0x00, 0x00, 0x7f], [0x00, 0x01], [0x80, 0x05], [0x00, 0x80], [0x80, 0x80], [0x7f, 0xff], [0xff]];
    const refused = starts.map((start) => {
      queued.push(start);
      return [start.map((b) => b.toString(16)).join(' '), refusal(selfSignedCertificate())];
    });
    expect(refused.filter(([, why]) => why !== undefined)).toEqual([]);
    expect(queued).toEqual([]);
  });

  it('loads in TLS with random serials, 200 in a row', () => {
    const refused = new Set(Array.from({ length: 200 }, () => refusal(selfSignedCertificate())).filter((why) => why !== undefined));
    expect([...refused]).toEqual([]);
  });

  it('names its hosts in the Subject Alternative Name and is valid now', () => {
    const cert = new X509Certificate(selfSignedCertificate(['localhost', '127.0.0.1', '::1']).cert);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(Date.parse(cert.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(cert.validTo)).toBeGreaterThan(Date.now());
  });
});
