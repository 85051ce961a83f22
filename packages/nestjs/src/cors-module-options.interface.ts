import type { CorsOptions } from '@preflight/cors-core';
import type { CORS_MODULE_ASYNC_OPTIONS_TYPE } from './cors.module-definition.js';

/**
 * The options of `CorsModule`: exactly the options of every Preflight adapter
 * (see `@preflight/cors-core`). `origin` is required; there is no default.
 */
export type CorsModuleOptions = CorsOptions;

/**
 * A class that supplies the options for `CorsModule.forRootAsync({ useClass })` or
 * `CorsModule.forRootAsync({ useExisting })`.
 *
 * @example
 * ```ts
 * @Injectable()
 * class CorsConfig implements CorsOptionsFactory {
 *   constructor(@Inject(ConfigService) private readonly config: ConfigService) {}
 *   createCorsOptions(): CorsModuleOptions {
 *     return { origin: this.config.getOrThrow<string>('CORS_ORIGIN'), credentials: true };
 *   }
 * }
 *
 * CorsModule.forRootAsync({ imports: [ConfigModule], useClass: CorsConfig });
 * ```
 */
export interface CorsOptionsFactory {
  /** Return the CORS options, or a Promise of them. */
  createCorsOptions(): CorsModuleOptions | Promise<CorsModuleOptions>;
}

/**
 * What `CorsModule.forRootAsync()` accepts: `imports`, and one of `useFactory` (with
 * `inject`), `useClass` or `useExisting` (a class implementing `CorsOptionsFactory`).
 */
export type CorsModuleAsyncOptions = typeof CORS_MODULE_ASYNC_OPTIONS_TYPE;
