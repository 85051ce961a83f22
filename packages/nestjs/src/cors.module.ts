import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer, type AbstractHttpAdapter } from '@nestjs/core';
import { compileCors, type CorsPolicy } from '@preflight/cors-core';
import type { CorsModuleOptions } from './cors-module-options.interface.js';
import { CORS_POLICY } from './cors.constants.js';
import { CORS_MODULE_OPTIONS, CorsConfigurableModule } from './cors.module-definition.js';
import { watchForOtherCors } from './conflict.js';
import { corsRequestHook, installFirst } from './request-hook.js';
import { routePolicies } from './route-policies.js';

/**
 * CORS for a NestJS application, on `@nestjs/platform-express` and
 * `@nestjs/platform-fastify` alike. Import it once, in the root module, and do **not**
 * call `app.enableCors()`.
 *
 * The options are validated when the module is instantiated: an invalid or insecure
 * configuration makes `NestFactory.create()` fail with a `CorsConfigError`. The CORS layer
 * runs first on every request, in the request hook of Nest's HTTP adapter: ahead of body
 * parsing, of every middleware (`app.use()` and module middleware), guards, pipes and
 * routing. Preflights are answered there, and every response (404s, errors, responses a
 * middleware ends) carries the CORS headers.
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
export class CorsModule extends CorsConfigurableModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(CORS_POLICY) private readonly policy: CorsPolicy,
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
    @Inject(ApplicationConfig) private readonly config: ApplicationConfig,
  ) {
    super();
  }

  /**
   * Puts the CORS layer first on every request (the adapter's request hook), with the
   * policies of `@Cors()` compiled and their routes (global prefix and versioning included)
   * put in a table. Runs in `app.init()` (or `app.listen()`), after `setGlobalPrefix()` and
   * `enableVersioning()`, so it also covers applications created with
   * `Test.createTestingModule(…).createNestApplication()`; an invalid `@Cors()` policy makes
   * it throw a `CorsConfigError`. Without an HTTP adapter (`createApplicationContext`,
   * microservices) there is nothing to do.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as AbstractHttpAdapter | undefined;
    if (adapter === undefined) return;
    const type = adapter.getType();
    if (type !== 'express' && type !== 'fastify') {
      throw new Error(
        `@preflight/cors-nestjs: CorsModule supports @nestjs/platform-express and @nestjs/platform-fastify; this application's HTTP adapter is "${type}". ` +
          'Use one of those two platforms, or the Preflight adapter for the underlying server directly.',
      );
    }
    installFirst(adapter, corsRequestHook(routePolicies(this.modules, this.config, adapter, type, this.policy), type));
  }

  /** Refuses to start next to another CORS layer (`app.enableCors()`, `cors`, `@fastify/cors`). */
  onApplicationBootstrap(): void {
    watchForOtherCors(this.adapterHost.httpAdapter);
  }
}
