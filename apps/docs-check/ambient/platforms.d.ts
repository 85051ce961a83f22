// Stand-ins for modules that documentation samples import but that are not dependencies of
// this workspace. Each declares only what the samples use, with the same shape as the real
// module, so that the samples are checked against our packages' real types. They do not prove
// anything about these modules themselves.

// Deno imports npm packages with the `npm:` specifier: the same package as the bare name.
declare module 'npm:@preflight/cors-fetch' {
  export * from '@preflight/cors-fetch';
}

// astro (src/types/public/common.ts): `MiddlewareHandler`, `MiddlewareNext`.
declare module 'astro' {
  export interface APIContext {
    readonly request: Request;
    readonly url: URL;
  }
  export type MiddlewareNext = (rewritePayload?: string | URL | Request) => Promise<Response>;
  export type MiddlewareHandler = (context: APIContext, next: MiddlewareNext) => Promise<Response> | Response | Promise<void> | void;
}

// @sveltejs/kit (types/index.d.ts): `Handle`.
declare module '@sveltejs/kit' {
  type MaybePromise<T> = T | Promise<T>;
  export interface RequestEvent {
    readonly request: Request;
    readonly url: URL;
  }
  export interface ResolveOptions {
    transformPageChunk?(input: { html: string; done: boolean }): MaybePromise<string | undefined>;
  }
  export type Handle = (input: {
    event: RequestEvent;
    resolve(event: RequestEvent, opts?: ResolveOptions): MaybePromise<Response>;
  }) => MaybePromise<Response>;
}

// @nestjs/config 4 (dist/config.module.d.ts, dist/config.service.d.ts): `ConfigModule`, `ConfigService`.
declare module '@nestjs/config' {
  import type { DynamicModule } from '@nestjs/common';
  export class ConfigModule {
    static forRoot(options?: { isGlobal?: boolean; envFilePath?: string | string[] }): Promise<DynamicModule>;
  }
  export class ConfigService {
    get<T = unknown>(propertyPath: string): T | undefined;
    get<T = unknown>(propertyPath: string, defaultValue: T): T;
    getOrThrow<T = unknown>(propertyPath: string): Exclude<T, undefined>;
  }
}
