// The imports of the node:http quick start, an async origin predicate and a listener.
import { createServer, type RequestListener } from 'node:http';
import { withCors } from '@preflight/cors-node';

declare function isKnownTenant(origin: string): Promise<boolean>;
declare const handler: RequestListener;
