// autocannon 8 ships no types and @types/autocannon describes version 7: the little of its API
// the bench uses is declared here.

declare module 'autocannon' {
  interface Options {
    url: string;
    method?: string;
    headers?: Readonly<Record<string, string>>;
    connections?: number;
    pipelining?: number;
    duration?: number;
  }
  interface Result {
    requests: { total: number };
    latency: { p50: number; p99: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
