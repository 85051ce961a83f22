import { CorsConfigError } from './errors.js';
import { compileCors, type CorsPolicy } from './policy.js';
import type { CorsOptions } from './types.js';

/** A route's own policy: compiled options, or `false` (CORS off for the route). */
export type RoutePolicy = CorsPolicy | false;

/** How a framework spells its per-route CORS setting, for error messages. */
export interface RoutePolicySyntax {
  /** The setting's name, e.g. `config.cors` or `@Cors()`. */
  readonly option: string;
  /** How to turn CORS off there, e.g. `config: { cors: false }`. */
  readonly off: string;
  /** How to give a route its own policy, e.g. `config: { cors: { origin: … } }`. */
  readonly own: string;
}

/**
 * The compiler of per-route CORS settings that adapters with route-level policies share
 * (Fastify's `config.cors`, NestJS's `@Cors()`, hapi's route settings): `false` turns CORS off, an options object is
 * compiled once per object (routes that share one object share one policy), anything else —
 * and any invalid option — throws a `CorsConfigError` that names where it was declared.
 * Call it at start-up, never per request.
 *
 * @example
 * ```ts
 * const compileRoute = routePolicyCompiler({ option: 'config.cors', off: 'config: { cors: false }', own: 'config: { cors: { origin: … } }' });
 * const policy = compileRoute(route.config.cors, `route GET /items`); // CorsPolicy | false
 * ```
 */
export function routePolicyCompiler(syntax: RoutePolicySyntax): (value: unknown, where: string) => RoutePolicy {
  const compiled = new WeakMap<object, CorsPolicy>();
  return (value, where) => {
    if (value === false) return false;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CorsConfigError(
        'OPTION_TYPE', syntax.option, value, `the ${syntax.option} of ${where} must be false or an options object`,
        `write ${syntax.off} to turn CORS off there, or ${syntax.own} for a policy of its own`,
      );
    }
    let policy = compiled.get(value);
    if (policy === undefined) {
      try {
        policy = compileCors(value as CorsOptions);
      } catch (error) {
        if (error instanceof CorsConfigError) error.message += ` (in ${syntax.option} of ${where})`;
        throw error;
      }
      compiled.set(value, policy);
    }
    return policy;
  };
}
