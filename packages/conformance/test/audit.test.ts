import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { audit, AuditUsageError, curlFor, listen, refusedOrigins } from '../src/index.js';

describe('refusedOrigins', () => {
  it('derives the look-alikes of an allowed origin, never an allowed one', () => {
    expect(refusedOrigins(['https://app.example.com'])).toEqual([
      'https://evil.example',
      'null',
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com.evil.test',
      'https://evilapp.example.com',
      'https://evil.app.example.com',
      'https://app-example.com',
      'https://appxexample.com',
      'https://app.examplexcom',
    ]);
  });
  it('keeps the port, skips dot games for localhost and IPs, and drops what another entry allows', () => {
    expect(refusedOrigins(['http://localhost:5173', 'http://localhost:5174'])).toEqual(['https://evil.example', 'null', 'http://localhost:5175']); // 5174 (5173's other port) is allowed
    expect(refusedOrigins(['http://127.0.0.1:3000'])).toEqual(['https://evil.example', 'null', 'http://127.0.0.1:3001']);
    const pattern = refusedOrigins(['https://*.example.com']);
    expect(pattern).toContain('https://example.com.evil.test');
    expect(pattern).toContain('https://evilexample.com');
    expect(pattern).toContain('http://preflight-audit.example.com');
    expect(pattern.some((o) => o.endsWith('.example.com') && o.startsWith('https://'))).toBe(false);
  });
  it('has nothing to refuse for a public API', () => {
    expect(refusedOrigins(['*'])).toEqual([]);
  });
});

describe('curlFor', () => {
  it('quotes for a POSIX shell', () => {
    expect(curlFor('https://api.example.com', { method: 'OPTIONS', path: '/a?b=1', headers: [['Origin', "https://x'y.example"]] })).toBe(
      `curl -sS -o /dev/null -D - -X OPTIONS -H 'Origin: https://x'\\''y.example' 'https://api.example.com/a?b=1'`,
    );
  });
});

describe('audit', () => {
  it('refuses what it cannot audit, before sending anything', async () => {
    await expect(audit({ url: 'ftp://x', allow: ['https://a.example'] })).rejects.toThrow(AuditUsageError);
    await expect(audit({ url: 'http://127.0.0.1:1', allow: [] })).rejects.toThrow(/--allow <origin>/);
    await expect(audit({ url: 'http://127.0.0.1:1', allow: ['https://a.example/'] })).rejects.toThrow(/not an origin/);
    await expect(audit({ url: 'http://127.0.0.1:1', allow: ['https://a.example'], paths: ['https://elsewhere.example/'] })).rejects.toThrow(/leaves http:\/\/127\.0\.0\.1:1/);
    await expect(audit({ url: 'http://127.0.0.1:1', allow: ['https://a.example'], paths: Array.from({ length: 40 }, (_, i) => `/${i}`) })).rejects.toThrow(/more than the limit of 500/);
  });

  it('sends only GET and OPTIONS without bodies, a bounded number, at most 4 at a time', async () => {
    const seen: Array<{ method: string; length: string | undefined }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const server = await listen(
      http.createServer((req, res) => {
        seen.push({ method: req.method!, length: req.headers['content-length'] });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          res.end('ok');
        }, 20);
      }),
    );
    try {
      const report = await audit({ url: server.url, allow: ['https://app.example.com'], paths: ['/', '/x'] });
      expect(seen.length).toBe(report.requests);
      expect(new Set(seen.map((s) => s.method))).toEqual(new Set(['GET', 'OPTIONS']));
      expect(seen.every((s) => s.length === undefined)).toBe(true);
      expect(maxInFlight).toBeLessThanOrEqual(4);
      // A server with no CORS at all: the allowed origin is never granted (its GET and its preflight).
      expect(report.findings.map((f) => `${f.path} ${f.check}`)).toEqual(['/ allowed-origin-not-granted', '/x allowed-origin-not-granted']);
      expect(report.findings[0]!.origins).toEqual(['https://app.example.com']);
    } finally {
      await server.close();
    }
  });
});

describe('Vary: Origin is asked for only when the answer depends on the origin', () => {
  const serve = (acao: (origin: string | undefined) => string | undefined) =>
    listen(
      http.createServer((req, res) => {
        const value = acao(req.headers.origin);
        if (value !== undefined) res.setHeader('Access-Control-Allow-Origin', value);
        res.end('ok');
      }),
    );
  const varyFindings = async (acao: (origin: string | undefined) => string | undefined, allow: string[]) => {
    const server = await serve(acao);
    try {
      return (await audit({ url: server.url, allow })).findings.filter((f) => f.check === 'missing-vary-origin').flatMap((f) => f.origins);
    } finally {
      await server.close();
    }
  };
  it('a static * or one fixed origin for everyone: no Vary needed', async () => {
    expect(await varyFindings(() => '*', ['*'])).toEqual([]);
    expect(await varyFindings(() => 'https://app.example.com', ['https://app.example.com'])).toEqual([]);
  });
  it('an answer that differs by origin: every response without Vary: Origin is named', async () => {
    const origins = await varyFindings((o) => (o === 'https://app.example.com' ? o : undefined), ['https://app.example.com']);
    expect(origins).toContain('https://app.example.com');
    expect(origins).toContain('(no Origin)');
    expect(origins).toContain('https://evil.example');
  });
});
