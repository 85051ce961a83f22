import { parseArgs } from 'node:util';
import { audit, AuditUsageError, SEVERITIES, type AuditReport, type Severity } from './audit.js';

export const HELP = `Usage: cors-conformance audit <url> --allow <origin> [options]

Probes the CORS answers of a running server, given what it is meant to allow, and reports
what is wrong, why it matters, the fix, and a curl line that reproduces it.

  --allow <origin>     an origin the server is meant to allow (repeatable): an exact origin
                       (https://app.example.com), a subdomain pattern (https://*.example.com),
                       or * for a public API
  --credentials        the allowed origins may send credentials (cookies)
  --path <path>        a path to probe (repeatable; default: the URL's own path)
  --method <method>    the method preflights ask for (default PUT)
  --header <name>      a header preflights ask for (repeatable; default content-type)
  --timeout <ms>       per-request timeout in milliseconds (default 10000)
  --fail-on <level>    exit 1 when a finding is at or above: critical, high, medium, low (default low)
  --json               print the report as JSON
  -h, --help           this help

Checks on each path: origins that must be refused (an arbitrary one, null, the http:// downgrade,
another port, suffix/prefix/dot look-alikes of each allowed origin, a subdomain where none was
allowed) get no grant; allowed origins get exactly their origin, and credentials as told; no *
with credentials; no Access-Control-Allow-Credentials on refused responses; Vary: Origin on every
response whose CORS headers depend on the origin (refused and origin-less ones included);
preflights: 2xx, the method and headers covered, an invalid header name not reflected, Max-Age
within browser limits, an OPTIONS without Access-Control-Request-Method not taken as a preflight.

Safe by construction: only GET and OPTIONS requests, without bodies and without cookies; about
20-30 requests per path (at most 500 in all), 4 at a time, each with a timeout; nothing is
written or changed on the server.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or
requests that got no answer.

Example:
  npx @preflight/cors-conformance audit https://api.example.com --allow https://app.example.com --credentials --path / --path /items`;

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };

/** The report as text: findings grouped by severity, worst first. */
export function formatAuditReport(report: AuditReport, failOn: Severity): string {
  const lines: string[] = [];
  lines.push(`CORS audit of ${report.url}`);
  lines.push(`  allowed: ${report.allow.join(', ')}${report.credentials ? ' (with credentials)' : ''}`);
  lines.push(`  paths: ${report.paths.join(', ')} · ${report.requests} requests`);
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push('', `${LABEL[severity]} (${group.length})`);
    for (const f of group) {
      lines.push(`  ✗ ${f.title}  [${f.check}, ${f.path}]`);
      lines.push(`    seen: ${f.detail}`);
      lines.push(`    origins: ${f.origins.slice(0, 6).join(', ')}${f.origins.length > 6 ? `, … (${f.origins.length})` : ''}`);
      lines.push(`    why: ${f.why}`);
      lines.push(`    fix: ${f.fix}`);
      lines.push(`    reproduce: ${f.curl}`);
    }
  }
  if (report.errors.length > 0) {
    lines.push('', `NO ANSWER (${report.errors.length})`);
    for (const e of report.errors.slice(0, 10)) lines.push(`  ! ${e.request.method} ${e.path}: ${e.message}`);
  }
  lines.push('', summaryLine(report, failOn));
  return lines.join('\n');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The last line: what was found, and never "every check passed" when a request got no answer. */
function summaryLine(report: AuditReport, failOn: Severity): string {
  const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const found = `${plural(report.findings.length, 'finding')}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')} (failing at ${failOn} and above)`;
  if (report.errors.length === 0) return report.findings.length === 0 ? `No findings: every check passed (${plural(report.paths.length, 'path')}).` : `${found}.`;
  const messages = [...new Set(report.errors.map((e) => e.message))];
  const others = messages.length > 1 ? `; ${plural(messages.length - 1, 'other error')}` : '';
  const unanswered = `${report.errors.length} of ${plural(report.requests, 'request')} (${messages[0]}${others})`;
  const answered = report.requests - report.errors.length;
  if (answered === 0) return `No answer to ${unanswered}: nothing could be checked on ${report.paths.join(', ')}.`;
  const seen = `${report.findings.length === 0 ? 'No findings' : found} in the ${plural(answered, 'answered request')}`;
  return `${seen}; no answer to ${unanswered}: what those would have shown could not be checked.`;
}

/** The exit code for a report: 2 when requests got no answer, 1 when a finding is at or above `failOn`. */
export function exitCode(report: AuditReport, failOn: Severity): number {
  if (report.errors.length > 0) return 2;
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit) ? 1 : 0;
}

/** Run the command line; returns the exit code. */
export async function main(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(`${t}\n`), err: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        allow: { type: 'string', multiple: true },
        credentials: { type: 'boolean' },
        path: { type: 'string', multiple: true },
        method: { type: 'string' },
        header: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'fail-on': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) {
    (values.help === true ? out : err)(HELP);
    return values.help === true ? 0 : 2;
  }
  if (positionals[0] !== 'audit' || positionals.length !== 2) {
    err(`expected: cors-conformance audit <url> --allow <origin>\n\n${HELP}`);
    return 2;
  }
  const failOn = (values['fail-on'] ?? 'low') as Severity;
  if (!SEVERITIES.includes(failOn)) {
    err(`--fail-on ${failOn}: one of ${SEVERITIES.join(', ')}`);
    return 2;
  }
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    err(`--timeout ${values.timeout}: a whole number of milliseconds`);
    return 2;
  }
  try {
    const report = await audit({
      url: positionals[1]!,
      allow: values.allow ?? [],
      credentials: values.credentials === true,
      ...(values.path === undefined ? {} : { paths: values.path }),
      ...(values.method === undefined ? {} : { method: values.method }),
      ...(values.header === undefined ? {} : { requestHeaders: values.header }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    out(values.json === true ? JSON.stringify(report, null, 2) : formatAuditReport(report, failOn));
    return exitCode(report, failOn);
  } catch (e) {
    if (e instanceof AuditUsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}
