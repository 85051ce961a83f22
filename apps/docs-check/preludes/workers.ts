// Cloudflare Workers: the `Env` a project declares for its bindings (here a KV-like store) and
// the `ExecutionContext` global of @cloudflare/workers-types (not a dependency here), as declared there.
interface Env {
  ITEMS: { list(): Promise<unknown> };
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
