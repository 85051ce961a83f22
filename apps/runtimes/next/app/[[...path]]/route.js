// The Next.js route handler: every path and method of the standard routes, answered by the
// conformance application (lib/app.mjs is src/app.ts, bundled by test/build.ts).
import { appFor } from '../../lib/app.mjs';

export const dynamic = 'force-dynamic';

let handler;
function serve(request) {
  handler ??= appFor(process.env.RUNTIME_APP, process.env.CONFORMANCE_CONFIG);
  return handler(request);
}

export const GET = serve;
export const HEAD = serve;
export const POST = serve;
export const PUT = serve;
export const PATCH = serve;
export const DELETE = serve;
export const OPTIONS = serve;
