import http from 'node:http';

/** A response as a user would inspect it: status, every header line (names lower-cased), body. */
export interface Reply {
  readonly status: number;
  readonly lines: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  /** Every value of one header, one entry per header line. */
  all(name: string): string[];
  /** The single value of a header; fails the caller's expectation if it appears twice. */
  one(name: string): string | undefined;
  /** Vary tokens, lower-cased, across every Vary line. */
  vary(): string[];
}

/**
 * Send one request (with an optional body) over a fresh connection (no keep-alive, no half-close).
 * `path` is the request target as sent: `/path?query`, or absolute-form `http://host/path`.
 */
export function send(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const lines: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        const all = (name: string) => lines.filter(([n]) => n === name.toLowerCase()).map(([, v]) => v);
        resolve({
          status: res.statusCode ?? 0,
          lines,
          body: Buffer.concat(chunks).toString('utf8'),
          all,
          one(name) {
            const values = all(name);
            if (values.length > 1) throw new Error(`${name} sent ${values.length} times: ${values.join(' | ')}`);
            return values[0];
          },
          vary: () => all('vary').flatMap((v) => v.split(',')).map((t) => t.trim().toLowerCase()).filter((t) => t !== ''),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
