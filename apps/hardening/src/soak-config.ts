import type { CorsOptions } from '@preflight/cors-core';
import { HOSTILE_OPTIONS } from './hostile.js';

/**
 * The soak configuration: an exact origin and a subdomain pattern (so that unique origins
 * under `*.example.com` are allowed and fill the core's bounded caches), credentials,
 * request headers reflected.
 */
export const SOAK_OPTIONS: CorsOptions = HOSTILE_OPTIONS;
