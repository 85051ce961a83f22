import type { CorsOptions } from '@preflight/cors-core';

/**
 * The demo's embedded configuration: every API runs this policy. One page origin is
 * allowed, with cookies; a few request headers; one response header exposed; preflights
 * cached for ten minutes.
 */
export function demoPolicy(allowedOrigin: string): CorsOptions {
  return {
    origin: [allowedOrigin],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Custom', 'X-Requested-With'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  };
}
