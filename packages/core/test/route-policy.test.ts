import { describe, expect, it } from 'vitest';
import { CorsConfigError, routePolicyCompiler } from '@preflight/cors-core';

const compile = routePolicyCompiler({ option: 'config.cors', off: 'config: { cors: false }', own: 'config: { cors: { origin: … } }' });

describe('routePolicyCompiler', () => {
  it('turns false into "no CORS" and compiles an options object once, however many routes share it', () => {
    expect(compile(false, 'route GET /a')).toBe(false);
    const shared = { origin: 'https://app.example.com' };
    const a = compile(shared, 'route GET /a');
    expect(a).not.toBe(false);
    expect(compile(shared, 'route HEAD /a')).toBe(a);
    expect(compile({ origin: 'https://app.example.com' }, 'route GET /b')).not.toBe(a);
  });

  it('refuses anything but false or an options object, naming the setting, the place and the fix', () => {
    for (const value of [true, null, 'https://app.example.com', ['https://app.example.com']]) {
      expect(() => compile(value, 'route GET /a')).toThrow(CorsConfigError);
      expect(() => compile(value, 'route GET /a')).toThrow(/config\.cors of route GET \/a must be false or an options object/);
    }
  });

  it('says where an invalid policy was declared', () => {
    expect(() => compile({ origin: 'https://x.example.com/' }, 'route GET /bad')).toThrow(/\(in config\.cors of route GET \/bad\)$/);
  });
});
