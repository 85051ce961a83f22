// Route handlers the route-configuration fragment refers to.
import type { RouteHandlerMethod } from 'fastify';

declare const metrics: RouteHandlerMethod;
declare const status: RouteHandlerMethod;
declare const order: RouteHandlerMethod;
