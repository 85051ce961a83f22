import { SetMetadata, type CustomDecorator } from '@nestjs/common';
import type { CorsOptions } from '@preflight/cors-core';

/** Metadata key of `@Cors()` on controllers and route handlers. */
export const CORS_ROUTE_METADATA = '@preflight/cors-nestjs:route';

/**
 * A CORS policy of its own for a controller or a route handler, in place of the one of
 * `CorsModule.forRoot()`. `false` turns CORS off there: no CORS header, no `Vary`, and
 * preflights are left to the application (its `@Options()` handler, or Nest's 404).
 *
 * Precedence: the handler's `@Cors()`, then the controller's, then the module's policy.
 * The options are those of `CorsModule.forRoot()` (a fresh policy, not merged with the
 * module's); they are validated when the application initialises: an invalid policy makes
 * `app.init()` / `app.listen()` fail with a `CorsConfigError` naming the controller and
 * handler. A preflight gets the policy of the route it asks about (its URL, and the method
 * of `Access-Control-Request-Method`), before guards, middleware and body parsers run.
 * Requires `CorsModule` in the root module.
 *
 * @example
 * ```ts
 * const PUBLIC = { origin: '*' } as const;
 *
 * @Controller('catalog')
 * @Cors(PUBLIC)                                   // every handler of this controller
 * export class CatalogController {
 *   @Get() list() { return []; }
 *
 *   @Post()
 *   @Cors({ origin: 'https://admin.example.com', credentials: true }) // this handler only
 *   create() { return { created: true }; }
 *
 *   @Post('webhook')
 *   @Cors(false)                                 // no CORS at all
 *   webhook() { return 'ok'; }
 * }
 * ```
 */
export function Cors(options: CorsOptions | false): CustomDecorator<string> {
  return SetMetadata(CORS_ROUTE_METADATA, options);
}
