import type { CorsOptions } from '@preflight/cors-core';

const APP = 'https://app.example.com';
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The configurations the cases run under. Each harness starts one server per configuration
 * it has cases for. Every adapter receives exactly these options.
 */
export const configs = {
  /** Exact origins, reflected request headers, default methods. */
  exact: {
    origin: [APP, 'http://localhost:5173', 'http://[::1]:3000'],
    exposedHeaders: ['X-Request-Id'],
  },
  /** One origin with credentials and a max-age. */
  credentialed: {
    origin: APP,
    credentials: true,
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  },
  /** A public API. */
  wildcard: {
    origin: '*',
    exposedHeaders: '*',
    maxAge: 7200,
  },
  /** Subdomain and port patterns. */
  patterns: {
    origin: ['https://*.example.com', 'http://localhost:*'],
  },
  /** An anchored RegExp. */
  regexp: {
    origin: /^https:\/\/(?:www\.)?example\.net$/,
  },
  /** A synchronous predicate. */
  predicateSync: {
    origin: (origin: string) => origin.endsWith('.trusted.test'),
  },
  /** An asynchronous predicate that allows, denies or fails. */
  predicateAsync: {
    origin: async (origin: string) => {
      await delay(2);
      if (origin === 'https://throws.test') throw new Error('origin store unavailable');
      return origin === 'https://allowed.test';
    },
  },
  /** Listed methods and request headers. */
  lists: {
    origin: APP,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['Content-Type', 'X-Custom'],
  },
  /** allowedHeaders: '*' without credentials. */
  headersStar: {
    origin: APP,
    allowedHeaders: '*',
  },
  /** allowedHeaders: '*' with credentials: names are reflected, never '*'. */
  headersStarCredentialed: {
    origin: APP,
    allowedHeaders: '*',
    credentials: true,
  },
  /** Preflights passed on to the application. */
  preflightContinue: {
    origin: APP,
    preflightContinue: true,
  },
  /** Preflights answered 200 instead of 204. */
  status200: {
    origin: APP,
    optionsSuccessStatus: 200,
  },
  /** Preflight caching disabled. */
  maxAgeZero: {
    origin: APP,
    maxAge: 0,
  },
  /** Legacy Private Network Access opt-in. */
  privateNetwork: {
    origin: APP,
    privateNetworkAccess: true,
  },
} satisfies Record<string, CorsOptions>;

/** The name of a configuration in `configs`. */
export type ConfigName = keyof typeof configs;
