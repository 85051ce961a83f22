import { describe, expect, it } from 'vitest';
import { RouteTable, type RouteMatching } from '../src/route-table.js';

// The matching rules each platform's router applies by default. The Nest tests
// (cors-decorator.test.ts) check them against the real routers; these pin the table alone.
const EXPRESS: RouteMatching = { syntax: 'path-to-regexp', caseSensitive: false, ignoreTrailingSlash: true };
const FASTIFY: RouteMatching = { syntax: 'find-my-way', caseSensitive: true, ignoreTrailingSlash: false };

function table(matching: RouteMatching, routes: ReadonlyArray<readonly [string, string]>): (method: string, url: string) => string | undefined {
  const t = new RouteTable<string>(matching);
  for (const [method, pattern] of routes) t.add(method, pattern, `${method} ${pattern}`);
  return (method, url) => t.find(method, url)?.value;
}

describe('RouteTable (path-to-regexp 8, Express rules)', () => {
  const find = table(EXPRESS, [
    ['GET', '/items/:id'],
    ['GET', '/items/new'],
    ['PUT', '/items/:id'],
    ['GET', '/files/*path'],
    ['GET', '/star/{*path}'],
    ['GET', '/opt{/:x}'],
    ['GET', '/range/:from-:to'],
    ['ALL', '/any'],
    ['GET', '/'],
  ]);

  it('serves the first registered route that matches, per method', () => {
    expect(find('GET', '/items/new')).toBe('GET /items/:id');
    expect(find('PUT', '/items/7?x=1')).toBe('PUT /items/:id');
    expect(find('DELETE', '/items/7')).toBeUndefined();
    expect(find('HEAD', '/items/7')).toBe('GET /items/:id');
    expect(find('PATCH', '/any')).toBe('ALL /any');
    expect(find('GET', '/')).toBe('GET /');
  });

  it('matches case-insensitively, with an optional trailing slash, on the raw path', () => {
    expect(find('GET', '/ITEMS/7')).toBe('GET /items/:id');
    expect(find('GET', '/items/7/')).toBe('GET /items/:id');
    expect(find('GET', '/items/7//')).toBeUndefined();
    expect(find('GET', '/it%65ms/7')).toBeUndefined();
  });

  it('wildcards, optional groups and several parameters in one segment', () => {
    expect(find('GET', '/files/a/b/c')).toBe('GET /files/*path');
    expect(find('GET', '/files/')).toBeUndefined();
    expect(find('GET', '/files')).toBeUndefined();
    expect(find('GET', '/star/')).toBe('GET /star/{*path}');
    expect(find('GET', '/star')).toBeUndefined();
    expect(find('GET', '/opt')).toBe('GET /opt{/:x}');
    expect(find('GET', '/opt/1')).toBe('GET /opt{/:x}');
    expect(find('GET', '/opt/1/2')).toBeUndefined();
    expect(find('GET', '/range/1-2')).toBe('GET /range/:from-:to');
    expect(find('GET', '/range/1-')).toBeUndefined();
    expect(find('GET', '/range/12')).toBeUndefined();
  });
});

describe('RouteTable (find-my-way, Fastify rules)', () => {
  const find = table(FASTIFY, [
    ['GET', '/items/:id'],
    ['GET', '/items/new'],
    ['GET', '/files/*'],
    ['GET', '/opt/:x?'],
    ['GET', '/file.:ext'],
    ['GET', '/Case'],
  ]);

  it('prefers static over parametric over wildcard segments, whatever the order', () => {
    expect(find('GET', '/items/new')).toBe('GET /items/new');
    expect(find('GET', '/items/x')).toBe('GET /items/:id');
    expect(find('HEAD', '/items/x')).toBe('GET /items/:id');
  });

  it('matches case-sensitively, strictly, on the decoded path', () => {
    expect(find('GET', '/Case')).toBe('GET /Case');
    expect(find('GET', '/case')).toBeUndefined();
    expect(find('GET', '/items/x/')).toBeUndefined();
    expect(find('GET', '/it%65ms/x')).toBe('GET /items/:id');
    expect(find('GET', '/items/%E0%A4%A')).toBeUndefined();
  });

  it('wildcards, optional last parameters and parameters inside a segment', () => {
    expect(find('GET', '/files/')).toBe('GET /files/*');
    expect(find('GET', '/files/a/b')).toBe('GET /files/*');
    expect(find('GET', '/files')).toBeUndefined();
    expect(find('GET', '/opt')).toBe('GET /opt/:x?');
    expect(find('GET', '/opt/1')).toBe('GET /opt/:x?');
    expect(find('GET', '/file.json')).toBe('GET /file.:ext');
    expect(find('GET', '/file.')).toBeUndefined();
  });

  it('honours ignoreTrailingSlash and caseSensitive: false', () => {
    const loose = table({ ...FASTIFY, ignoreTrailingSlash: true, caseSensitive: false }, [['GET', '/Items/:id']]);
    expect(loose('GET', '/items/1/')).toBe('GET /Items/:id');
  });
});

describe('RouteTable', () => {
  it('reports a second route of the same method and pattern (parameter names aside)', () => {
    const t = new RouteTable<string>(EXPRESS);
    expect(t.add('GET', '/a/:id', 'first')).toBeUndefined();
    expect(t.add('GET', '/a/:key', 'second')?.route).toBe('GET /a/:id');
    expect(t.add('POST', '/a/:key', 'post')).toBeUndefined();
  });

  it('walks a hostile path in one pass: many segments, long segments, mixed-segment patterns', () => {
    const find = table(EXPRESS, [['GET', '/a/:x-:y-:z'], ['GET', '/b/*rest']]);
    const many = '/x'.repeat(20_000);
    const long = `/a/${'1'.repeat(50_000)}-2`; // one separator where the pattern needs two
    expect(find('GET', many)).toBeUndefined();
    expect(find('GET', long)).toBeUndefined();
    expect(find('GET', `/a/1-2-${'3'.repeat(50_000)}`)).toBe('GET /a/:x-:y-:z');
    expect(find('GET', `/b${many}`)).toBe('GET /b/*rest');
  });
});
