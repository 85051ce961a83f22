/**
 * Injection token of the compiled `CorsPolicy` (from `@preflight/cors-core`) that
 * `CorsModule` builds from its options. The module is global, so any provider can inject
 * it, e.g. to apply the same policy to a WebSocket gateway's handshake.
 *
 * @example
 * ```ts
 * constructor(@Inject(CORS_POLICY) private readonly policy: CorsPolicy) {}
 * ```
 */
export const CORS_POLICY: unique symbol = Symbol('@preflight/cors-nestjs:policy');
