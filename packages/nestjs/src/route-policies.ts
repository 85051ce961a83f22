import type { IncomingMessage } from 'node:http';
import { RequestMethod, VERSION_NEUTRAL, VersioningType, type Type } from '@nestjs/common';
import { MetadataScanner, type AbstractHttpAdapter, type ApplicationConfig, type ModulesContainer } from '@nestjs/core';
import { CorsConfigError, routePolicyCompiler, type CorsPolicy, type RoutePolicy } from '@preflight/cors-core';
import { CORS_ROUTE_METADATA } from './cors.decorator.js';
import { RouteTable, type RouteMatching } from './route-table.js';

/** A version as `@Version()` / `@Controller({ version })` take it (Nest's `VersionValue`). */
type VersionValue = string | typeof VERSION_NEUTRAL | Array<string | typeof VERSION_NEUTRAL>;

export type { RoutePolicy };

/** Which policy applies to a request (its own route's, or the route a preflight asks about). */
export type PolicyResolver = (req: IncomingMessage) => RoutePolicy;

// Nest's metadata keys (`@nestjs/common/constants`, not exported from the package root).
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';
const VERSION_METADATA = '__version__';
const MODULE_PATH = '__module_path__';
const HOST_METADATA = 'host';

/** What `ApplicationConfig.getGlobalPrefixOptions().exclude` holds (Nest's `ExcludeRouteMetadata`). */
interface ExcludedRoute {
  readonly requestMethod: RequestMethod;
  readonly pathRegex: RegExp;
}

/** `getRouteMatchingOptions()` of the platform adapters (recent 11.x and 12; optional). */
interface MatchingAdapter {
  getRouteMatchingOptions?(): { caseSensitive?: boolean; ignoreTrailingSlash?: boolean };
}

const addLeadingSlash = (path: string): string => (path.startsWith('/') ? path : `/${path}`);
const stripEndSlash = (path: string): string => (path.endsWith('/') ? path.slice(0, -1) : path);
const join = (a: string, b: string): string => stripEndSlash(a) + addLeadingSlash(b);
/** The string paths of PATH_METADATA (Nest routes only string paths). */
const strings = (paths: unknown): string[] => (Array.isArray(paths) ? paths : [paths]).filter((p): p is string => typeof p === 'string');

function routeMatching(adapter: AbstractHttpAdapter, platform: 'express' | 'fastify'): RouteMatching {
  const own = (adapter as unknown as MatchingAdapter).getRouteMatchingOptions?.() ?? {};
  if (platform === 'express') {
    const router = adapter.getInstance<{ router?: { caseSensitive?: boolean; strict?: boolean } }>().router;
    return {
      syntax: 'path-to-regexp',
      caseSensitive: own.caseSensitive ?? router?.caseSensitive === true,
      ignoreTrailingSlash: own.ignoreTrailingSlash ?? router?.strict !== true,
    };
  }
  const config = adapter.getInstance<{ initialConfig: { caseSensitive?: boolean; ignoreTrailingSlash?: boolean; routerOptions?: { caseSensitive?: boolean; ignoreTrailingSlash?: boolean } } }>().initialConfig;
  const router = config.routerOptions ?? {};
  return {
    syntax: 'find-my-way',
    caseSensitive: own.caseSensitive ?? !(router.caseSensitive === false || config.caseSensitive === false),
    ignoreTrailingSlash: own.ignoreTrailingSlash ?? (router.ignoreTrailingSlash === true || config.ignoreTrailingSlash === true),
  };
}

/**
 * The full paths Nest registers for one handler path, as its `RoutePathFactory` builds them:
 * URI version prefixes, the RouterModule path, the controller path, the handler path, and
 * the global prefix unless the route is excluded from it.
 */
function fullPaths(
  config: ApplicationConfig,
  parts: { modulePath: string | undefined; ctrlPath: string; methodPath: string; version: VersionValue | undefined },
  method: RequestMethod,
): string[] {
  const versioning = config.getVersioning();
  let versioned: Array<{ path: string; version?: string | symbol }> = [{ path: '' }];
  if (parts.version !== undefined && versioning?.type === VersioningType.URI) {
    const prefix = versioning.prefix === false ? '' : (versioning.prefix ?? 'v');
    const versions = Array.isArray(parts.version) ? parts.version : [parts.version];
    versioned = versions.map((version: string | symbol) => ({ path: version === VERSION_NEUTRAL ? '' : `/${prefix}${String(version)}`, version }));
  }
  const globalPrefix = config.getGlobalPrefix();
  const excluded = (config.getGlobalPrefixOptions().exclude ?? []) as unknown as readonly ExcludedRoute[];
  return versioned.map(({ path, version }) => {
    let full = path;
    if (parts.modulePath) full = join(full, parts.modulePath);
    if (parts.ctrlPath) full = join(full, parts.ctrlPath);
    if (parts.methodPath) full = join(full, parts.methodPath);
    if (globalPrefix) {
      let tested = full;
      if (version !== undefined && version !== VERSION_NEUTRAL && versioning?.type === VersioningType.URI) {
        const versionPrefix = `/${versioning.prefix === false ? '' : (versioning.prefix ?? 'v')}${String(version)}`;
        if (tested.startsWith(versionPrefix)) tested = tested.slice(versionPrefix.length);
      }
      const isExcluded = excluded.some(
        (route) => (route.requestMethod === RequestMethod.ALL || (route.requestMethod as number) === -1 || route.requestMethod === method) && route.pathRegex.test(addLeadingSlash(tested)),
      );
      if (!isExcluded) full = stripEndSlash(globalPrefix) + full;
    }
    full = addLeadingSlash(full || '/');
    return full === '/' ? full : stripEndSlash(full);
  });
}

/**
 * Build, once at bootstrap, which policy each request gets. Without any `@Cors()` in the
 * application, every request gets the module's policy and no route lookup is made. With
 * one, the routes Nest registered are put in a `RouteTable` (their full paths, by method,
 * with the handler's, controller's or module's policy), and a request gets the policy of
 * the route the platform serves it with; a preflight, the policy of the route it asks about
 * (its `Access-Control-Request-Method`). Requests no route serves get the module's policy.
 */
export function routePolicies(
  modules: ModulesContainer,
  config: ApplicationConfig,
  adapter: AbstractHttpAdapter,
  platform: 'express' | 'fastify',
  modulePolicy: CorsPolicy,
): PolicyResolver {
  const compile = routePolicyCompiler({ option: '@Cors()', off: '@Cors(false)', own: '@Cors({ origin: … })' });
  const scanner = new MetadataScanner();
  const table = new RouteTable<RoutePolicy>(routeMatching(adapter, platform));
  const versioning = config.getVersioning();
  let decorated = false;
  // Routes that hand requests to the next route of the same path: a version filter (header,
  // media type, custom versioning) or a host filter. Two policies there cannot be told apart.
  const filtered = new Set<string>();
  const versionFiltered = versioning !== undefined && versioning.type !== VersioningType.URI;

  for (const module of modules.values()) {
    const metatype = module.metatype as Type | undefined;
    const modulePath =
      metatype === undefined
        ? undefined
        : ((Reflect.getMetadata(MODULE_PATH + modules.applicationId, metatype) ?? Reflect.getMetadata(MODULE_PATH, metatype)) as string | undefined);
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (typeof controller !== 'function') continue;
      const ctrlPaths = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      if (ctrlPaths === undefined) continue;
      const hostBound = Reflect.getMetadata(HOST_METADATA, controller) !== undefined;
      const controllerCors: unknown = Reflect.getMetadata(CORS_ROUTE_METADATA, controller);
      const controllerPolicy = controllerCors === undefined ? modulePolicy : compile(controllerCors, controller.name);
      if (controllerCors !== undefined) decorated = true;
      const controllerVersion =
        versioning === undefined ? undefined : ((Reflect.getMetadata(VERSION_METADATA, controller) as VersionValue | undefined) ?? versioning.defaultVersion);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (handlerPaths === undefined) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const handlerCors: unknown = Reflect.getMetadata(CORS_ROUTE_METADATA, handler);
        const where = `${controller.name}.${name}`;
        const policy = handlerCors === undefined ? controllerPolicy : compile(handlerCors, where);
        if (handlerCors !== undefined) decorated = true;
        const version = (Reflect.getMetadata(VERSION_METADATA, handler) as VersionValue | undefined) ?? controllerVersion;
        const methodName = RequestMethod[method];
        for (const ctrlPath of strings(ctrlPaths)) {
          for (const methodPath of strings(handlerPaths)) {
            for (const path of fullPaths(config, { modulePath, ctrlPath: addLeadingSlash(ctrlPath), methodPath: addLeadingSlash(methodPath), version }, method)) {
              const existing = table.add(methodName, path, policy);
              const passesOn = hostBound || versionFiltered;
              if (passesOn) filtered.add(`${methodName} ${path}`);
              // Otherwise the platform serves the first of two routes of one path and method, as the table does.
              if (existing !== undefined && existing.value !== policy && (passesOn || filtered.has(existing.route))) {
                throw new CorsConfigError(
                  'OPTION_TYPE', '@Cors()', handlerCors ?? controllerCors,
                  `${where} serves ${methodName} ${path} like the route ${existing.route} registered before it, with another CORS policy ` +
                    '(routes that differ only by host, or by a version taken from a header or media type): a preflight cannot tell them apart',
                  'give the routes of one path and method the same @Cors() policy (or none)',
                );
              }
            }
          }
        }
      }
    }
  }

  if (!decorated) return () => modulePolicy;
  // Express matches methods case-insensitively; Fastify does not.
  const upper = platform === 'express';
  return (req) => {
    const headers = req.headers;
    const acrm = headers['access-control-request-method'];
    const url = originForm(req.url ?? '/');
    if (req.method === 'OPTIONS' && typeof acrm === 'string' && headers.origin !== undefined) {
      // A preflight: the route the browser is about to call, else an OPTIONS route of that URL.
      const asked = table.find(upper ? acrm.toUpperCase() : acrm, url) ?? table.find('OPTIONS', url);
      return asked === undefined ? modulePolicy : asked.value;
    }
    const method = req.method ?? 'GET';
    const own = table.find(upper ? method.toUpperCase() : method, url);
    return own === undefined ? modulePolicy : own.value;
  };
}

/**
 * The path and query of a request target. Origin-form (`/path?query`, what browsers send) as
 * it is; absolute-form (`http://host:port/path?query`, RFC 9112 §3.2.2, which servers must
 * accept and both platforms route by its path) without its scheme and authority.
 */
function originForm(target: string): string {
  if (target.charCodeAt(0) === 47 /* / */) return target;
  const scheme = target.indexOf('://');
  if (scheme === -1) return target;
  for (let i = scheme + 3; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 47 /* / */) return target.slice(i);
    if (c === 63 /* ? */) return `/${target.slice(i)}`;
  }
  return '/';
}
