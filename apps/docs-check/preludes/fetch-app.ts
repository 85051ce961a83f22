// The fetch adapter's `createCors`, and the application's own rendering.
import { createCors } from '@preflight/cors-fetch';

declare function render(request: Request): Promise<Response>;
