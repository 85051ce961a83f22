import {
  Global,
  Inject,
  Module,
  RequestMethod,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpAdapterHost, type AbstractHttpAdapter } from '@nestjs/core';
import { compileCors, type CorsPolicy } from '@preflight/cors-core';
import type { CorsModuleOptions } from './cors-module-options.interface.js';
import { CORS_POLICY } from './cors.constants.js';
import { CorsMiddleware, recoverWithCors, type Next } from './cors.middleware.js';
import { CORS_MODULE_OPTIONS, CorsConfigurableModule } from './cors.module-definition.js';
import { watchForOtherCors } from './conflict.js';

/**
 * CORS for a NestJS application, on `@nestjs/platform-express` and
 * `@nestjs/platform-fastify` alike. Import it once, in the root module, and do **not**
 * call `app.enableCors()`.
 *
 * The options are validated when the module is instantiated: an invalid or insecure
 * configuration makes `NestFactory.create()` fail with a `CorsConfigError`. The CORS layer
 * is a global Nest middleware mounted on every route, ahead of the middleware of other
 * modules and of guards, pipes and routing: preflights are answered there, and every
 * response (404s and errors included) carries the CORS headers.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [CorsModule.forRoot({ origin: 'https://app.example.com', credentials: true })],
 * })
 * export class AppModule {}
 * ```
 *
 * @example
 * ```ts
 * CorsModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ origin: config.getOrThrow<string>('CORS_ORIGIN').split(',') }),
 * });
 * ```
 */
@Global()
@Module({
  providers: [
    {
      provide: CORS_POLICY,
      useFactory: (options: CorsModuleOptions) => compileCors(options),
      inject: [CORS_MODULE_OPTIONS],
    },
  ],
  exports: [CORS_POLICY],
})
export class CorsModule extends CorsConfigurableModule implements NestModule, OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(CORS_POLICY) private readonly policy: CorsPolicy,
  ) {
    super();
  }

  /** Mounts the CORS middleware on every route, for every method. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorsMiddleware).forRoutes({ path: '/{*path}', method: RequestMethod.ALL });
  }

  /**
   * Express: mounts `recoverWithCors` as an error-handling middleware, after the
   * routes and before Nest's own error handler (registered after this hook), so errors
   * raised ahead of the CORS middleware (body parsing) still get the CORS headers.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as AbstractHttpAdapter | undefined;
    if (adapter?.getType() !== 'express') return;
    const policy = this.policy;
    adapter.use((error: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => recoverWithCors(policy, error, req, res, next));
  }

  /** Refuses to start next to another CORS layer (`app.enableCors()`, `cors`, `@fastify/cors`). */
  onApplicationBootstrap(): void {
    watchForOtherCors(this.adapterHost.httpAdapter);
  }
}
