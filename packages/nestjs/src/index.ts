/**
 * @preflight/cors-nestjs — CORS for NestJS (Express and Fastify), right by the Fetch standard.
 *
 * @example
 * ```ts
 * import { CorsModule } from '@preflight/cors-nestjs';
 *
 * @Module({ imports: [CorsModule.forRoot({ origin: 'https://app.example.com' })] })
 * export class AppModule {}
 * ```
 *
 * @packageDocumentation
 */
export { CorsModule } from './cors.module.js';
export { CORS_POLICY } from './cors.constants.js';
export { Cors } from './cors.decorator.js';
export type { CorsModuleAsyncOptions, CorsModuleOptions, CorsOptionsFactory } from './cors-module-options.interface.js';
export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsPolicy, CorsRefusal } from '@preflight/cors-core';
