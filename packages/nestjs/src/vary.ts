import type { ServerResponse } from 'node:http';
import { mergeVary } from '@preflight/cors-core';

const kVary = Symbol('@preflight/cors-nestjs:vary');
const kWriteHead = Symbol('@preflight/cors-nestjs:writeHead');

type WriteHead = (this: ServerResponse, statusCode: number, ...rest: unknown[]) => ServerResponse;

interface VaryTracked extends ServerResponse {
  [kVary]: string;
  [kWriteHead]: WriteHead;
}

/**
 * Keep `tokens` in the response's Vary whatever the application does after the CORS
 * layer ran: a handler that *sets* Vary (`res.set('Vary', …)`, `@Header('Vary', …)`,
 * Fastify's `reply.header('Vary', …)`) would otherwise replace `Vary: Origin`.
 *
 * The tokens are merged once more when the head is written. Node writes every head
 * through `res.writeHead` (an implicit head included), and Fastify passes its reply
 * headers to it as an object that takes precedence over the ones already set, so both
 * are covered. Two property writes per request; no closure.
 */
export function keepVary(res: ServerResponse, tokens: string): void {
  const tracked = res as VaryTracked;
  tracked[kVary] = tokens;
  tracked[kWriteHead] = res.writeHead as unknown as WriteHead;
  (res as unknown as { writeHead: WriteHead }).writeHead = writeHeadKeepingVary;
}

function writeHeadKeepingVary(this: ServerResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
  const self = this as VaryTracked;
  const tokens = self[kVary];
  // writeHead(status, [reason], [headers]): headers passed here replace those already set.
  const headers = rest[rest.length - 1];
  let mergedInArgument = false;
  if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
    const record = headers as Record<string, string | number | readonly string[] | undefined>;
    for (const name in record) {
      if (name.length === 4 && name.toLowerCase() === 'vary') {
        const merged = mergeVary(record[name], tokens);
        if (merged !== undefined) record[name] = merged;
        mergedInArgument = true;
        break;
      }
    }
  }
  if (!mergedInArgument) {
    const merged = mergeVary(self.getHeader('Vary'), tokens);
    if (merged !== undefined) self.setHeader('Vary', merged);
  }
  return self[kWriteHead].call(self, statusCode, ...rest);
}
