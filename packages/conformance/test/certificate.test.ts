// selfSignedCertificate: what a TLS test server gets from it loads, every time. Its random serial once gave about one
// certificate in 256 a non-minimal INTEGER, which OpenSSL refuses ("asn1 encoding routines::illegal padding").
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../src/index.js';

describe('selfSignedCertificate', () => {
  it('makes certificates that TLS loads with their key, 2,000 in a row', () => {
    const failures = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { key, cert } = selfSignedCertificate();
      try {
        createSecureContext({ key, cert });
      } catch (error) {
        failures.add(String(error));
      }
    }
    expect([...failures]).toEqual([]);
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
