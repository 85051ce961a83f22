import { cases as allCases, type CaseRequest, type ConformanceCase } from './cases.js';
import { checkResponse } from './check.js';
import type { RawResponse } from './client.js';
import { configs, type ConfigName } from './configs.js';
import type { ConformanceHarness, RunningServer } from './harness.js';
import { protocolFailures, type Protocol } from './protocol.js';
import { sendOver, type Transport } from './transport.js';

/** What happened to one case. */
export interface CaseResult {
  /** The case id (`ConformanceCase.id`). */
  readonly id: string;
  /** The case, in words. */
  readonly name: string;
  readonly config: ConfigName;
  /** The protocol the request went over. */
  readonly protocol: Protocol;
  readonly outcome: 'passed' | 'failed' | 'skipped';
  /** What was sent. */
  readonly request: CaseRequest;
  /** What came back (absent when nothing did: the server did not start, or the request failed). */
  readonly response?: RawResponse;
  /** Why it failed, one line per broken expectation (empty when it passed). */
  readonly failures: readonly string[];
  /** For a declared skip: the harness's reason. */
  readonly skipReason?: string;
}

/** The results of a whole run. */
export interface ConformanceReport {
  /** The harness name, or the base URL. */
  readonly target: string;
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** `harness.skip` entries that name no case (a typo hides nothing: the run is not ok). */
  readonly unknownSkips: readonly string[];
  /** No failed case and no unknown skip. */
  readonly ok: boolean;
}

/** Options shared by `runCases` and the test-runner bindings. */
export interface RunCasesOptions {
  /** Run only these cases (default: every case). */
  readonly cases?: readonly ConformanceCase[];
  /**
   * Protocols to send every case over (default: the harness's `protocols`, or
   * `['http/1.1']`). A harness server is started once per configuration and protocol.
   */
  readonly protocols?: readonly Protocol[];
  /** How requests are sent (default: `sendOver`, HTTP/1.1 over a raw socket). */
  readonly transport?: Transport;
  /** Per-request timeout in milliseconds (default 5000). */
  readonly timeoutMs?: number;
  /**
   * With a base URL as the target: the configuration the server there runs with (default
   * `'exact'`); only that configuration's cases are sent.
   */
  readonly config?: ConfigName;
  /** Called with each result as soon as it is known. */
  readonly onResult?: (result: CaseResult) => void;
}

/** The cases of one configuration, as a binding registers them. */
export interface CaseGroup {
  readonly config: ConfigName;
  readonly cases: readonly ConformanceCase[];
}

/** A started (or failed-to-start) server of one configuration, ready to run cases. */
export interface ConfigSession {
  readonly config: ConfigName;
  /** The protocol the server was started for, and the default of `run`. */
  readonly protocol: Protocol;
  /** The server's base URL, when it started. */
  readonly url: string | undefined;
  /** Why `harness.start()` failed, when it did: every case of the configuration then fails with it. */
  readonly startError?: unknown;
  /** Send one case (over one protocol) and check the response. Never rejects. */
  run(c: ConformanceCase, protocol?: Protocol): Promise<CaseResult>;
  /** Stop the server (no-op when it did not start). */
  close(): Promise<void>;
}

/** Group the selected cases by configuration, in the order they are listed. */
export function groupCases(selected: readonly ConformanceCase[] = allCases): CaseGroup[] {
  const byConfig = new Map<ConfigName, ConformanceCase[]>();
  for (const c of selected) {
    const list = byConfig.get(c.config) ?? [];
    list.push(c);
    byConfig.set(c.config, list);
  }
  return [...byConfig].map(([config, list]) => ({ config, cases: list }));
}

/** `harness.skip` entries that name no existing case. */
export function unknownSkips(harness: Pick<ConformanceHarness, 'skip'>): string[] {
  return Object.keys(harness.skip ?? {}).filter((id) => !allCases.some((c) => c.id === id));
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function session(
  config: ConfigName,
  sessionProtocol: Protocol,
  server: RunningServer | undefined,
  startError: unknown,
  harnessName: string,
  options: RunCasesOptions,
): ConfigSession {
  const transport = options.transport ?? sendOver;
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    config,
    protocol: sessionProtocol,
    url: server?.url,
    startError,
    async run(c, protocol = sessionProtocol) {
      const base = { id: c.id, name: c.name, config: c.config, protocol, request: c.request } as const;
      // Raw bytes some protocols cannot carry (obs-fold over HTTP/2…): the case data says so.
      const inexpressible = c.notExpressibleIn?.[protocol];
      if (inexpressible !== undefined) return skippedResult(c, `not expressible in ${protocol}: ${inexpressible}`, protocol);
      if (server === undefined) {
        return { ...base, outcome: 'failed', failures: [`the ${harnessName} harness failed to start (config ${config}): ${errorText(startError)}`] };
      }
      let response: RawResponse;
      try {
        response = await transport(protocol, server.url, c.request, timeoutMs);
      } catch (err) {
        return { ...base, outcome: 'failed', failures: [`no response: ${errorText(err)}`] };
      }
      const failures = [...checkResponse(response, c.expect), ...protocolFailures(protocol, c, response)];
      return { ...base, outcome: failures.length === 0 ? 'passed' : 'failed', response, failures };
    },
    close: async () => {
      await server?.close();
    },
  };
}

/**
 * Start the harness's server for one configuration. Never rejects: when `start()` throws,
 * the session holds the error and every case run on it fails with that error (a server
 * that does not start is a failed run, not a skipped one).
 */
export async function startConfig(
  harness: ConformanceHarness,
  config: ConfigName,
  options: RunCasesOptions = {},
  protocol: Protocol = 'http/1.1',
): Promise<ConfigSession> {
  try {
    const server = await harness.start(configs[config], { protocol });
    return session(config, protocol, server, undefined, harness.name, options);
  } catch (err) {
    return session(config, protocol, undefined, err ?? new Error('start() rejected without a reason'), harness.name, options);
  }
}

/** The protocols a run uses: the options', else the harness's, else HTTP/1.1. */
export function protocolsOf(target: Pick<ConformanceHarness, 'protocols'> | string, options: Pick<RunCasesOptions, 'protocols'>): readonly Protocol[] {
  return options.protocols ?? (typeof target === 'string' ? undefined : target.protocols) ?? ['http/1.1'];
}

/** A session on a server that is already running at `url` (nothing to start or stop). */
export function attachConfig(url: string, config: ConfigName, options: RunCasesOptions = {}): ConfigSession {
  return session(config, 'http/1.1', { url: url.replace(/\/+$/, ''), close: async () => {} }, undefined, url, options);
}

/** A skipped case's result. */
export function skippedResult(c: ConformanceCase, reason: string, protocol: Protocol = 'http/1.1'): CaseResult {
  return { id: c.id, name: c.name, config: c.config, protocol, request: c.request, outcome: 'skipped', failures: [], skipReason: reason };
}

/**
 * A failed result as text for a test runner: the failures, then the exchange (request and
 * response header lines) so the reader sees what the server answered.
 */
export function formatResult(result: CaseResult): string {
  const line = ([n, v]: readonly [string, string]): string => `  ${n}: ${v.length > 200 ? `${v.slice(0, 200)}… (${v.length} characters)` : v}`;
  const sent = [`${result.request.method} ${result.request.path} (${result.protocol})`, ...(result.request.headers ?? []).map(line)];
  const got = result.response === undefined ? ['(no response)'] : [`→ ${result.response.status}`, ...result.response.headerLines.map(line)];
  return [`${result.id}: ${result.name}`, ...result.failures.map((f) => `  ✗ ${f}`), 'sent:', ...sent.map((l) => `  ${l}`), 'received:', ...got.map((l) => `  ${l}`)].join('\n');
}

/**
 * Run the conformance cases and return the results — no test runner involved. The target
 * is a harness (one server per configuration is started, then closed) or the base URL of a
 * server already running the standard routes with one configuration (`options.config`).
 * A harness whose `start()` throws fails every case of that configuration with the error.
 *
 * @example
 * ```ts
 * import { runCases } from '@preflight/cors-conformance';
 * import { harness } from './harness.js';
 *
 * const report = await runCases(harness);
 * for (const r of report.results) if (r.outcome === 'failed') console.log(r.id, r.failures);
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export async function runCases(target: ConformanceHarness | string, options: RunCasesOptions = {}): Promise<ConformanceReport> {
  const protocols = protocolsOf(target, options);
  const results: CaseResult[] = [];
  const push = (r: CaseResult): void => {
    results.push(r);
    options.onResult?.(r);
  };
  const isUrl = typeof target === 'string';
  const config = options.config ?? 'exact';
  const selected = (options.cases ?? allCases).filter((c) => !isUrl || c.config === config);
  for (const protocol of protocols) {
    for (const group of groupCases(selected)) {
      const s = isUrl ? attachConfig(target, group.config, options) : await startConfig(target, group.config, options, protocol);
      try {
        for (const c of group.cases) {
          const reason = isUrl ? undefined : target.skip?.[c.id];
          push(reason === undefined ? await s.run(c, protocol) : skippedResult(c, reason, protocol));
        }
      } finally {
        await s.close();
      }
    }
  }
  const count = (o: CaseResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  const unknown = isUrl ? [] : unknownSkips(target);
  return {
    target: isUrl ? target : target.name,
    results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    unknownSkips: unknown,
    ok: count('failed') === 0 && unknown.length === 0,
  };
}
