// The imports of the Koa quick start and a tenant store.
import Koa from 'koa';
import { cors } from '@preflight/cors-koa';

declare const tenants: { allows(hostname: string | undefined, origin: string): Promise<boolean> };
