import { describe, expect, it } from 'vitest';
import { OriginTable } from '../src/origin-table.js';

const fill = (origins: readonly string[]): OriginTable => {
  const table = new OriginTable(origins.length);
  for (const origin of origins) table.add(origin);
  return table;
};

describe('OriginTable (the exact origins of a policy)', () => {
  it('finds every listed origin and nothing else, at any size', () => {
    for (const n of [1, 2, 7, 8, 9, 1000, 50_000]) {
      const origins = Array.from({ length: n }, (_, i) => `https://tenant-${i}.example.com`);
      const table = fill(origins);
      expect(table.size).toBe(n);
      for (const origin of origins) expect(table.has(origin)).toBe(true);
      expect(table.has(`https://tenant-${n}.example.com`)).toBe(false);
      expect(table.has('https://tenant-0.example.co')).toBe(false);
      expect(table.has('HTTPS://TENANT-0.EXAMPLE.COM')).toBe(false);
      expect(table.has('')).toBe(false);
    }
  });

  it('keeps a duplicated origin once', () => {
    const table = fill(['https://a.example', 'https://b.example', 'https://a.example']);
    expect(table.size).toBe(2);
    expect(table.has('https://a.example')).toBe(true);
  });

  it('compares whole strings, not hashes: origins that differ in one character, or only in order, stay apart', () => {
    const origins = ['https://ab.example', 'https://ba.example', 'https://aa.example', 'https://bb.example'];
    const table = fill(origins.slice(0, 2));
    expect(origins.map((o) => table.has(o))).toEqual([true, true, false, false]);
  });

  it('refuses to grow past the room it was built with', () => {
    const table = new OriginTable(1);
    table.add('https://a.example');
    table.add('https://a.example'); // a duplicate takes no room
    expect(() => table.add('https://b.example')).toThrow(RangeError);
  });
});
