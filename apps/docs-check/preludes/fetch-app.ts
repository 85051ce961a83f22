// The fetch adapter's exports and the pieces of an application the fragments refer to.
import { createCors, CorsOriginError, withCors } from '@preflight/cors-fetch';

declare const options: { origin: string; credentials?: boolean };
declare function route(request: Request): Promise<Response>;
declare function render(request: Request): Promise<Response>;
declare function isTenantOrigin(origin: string): Promise<boolean>;
