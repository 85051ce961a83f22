import { describe, expect, it } from 'vitest';
import { chart, logDomain, type Panel } from '../src/svg.js';

/** Every number in a coordinate or size attribute of the SVG. */
function numericAttributes(svg: string): { name: string; value: string }[] {
  return [...svg.matchAll(/\b(x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g)].map((m) => ({ name: m[1]!, value: m[2]! }))
    .filter((a) => a.value !== '100%'); // the white background
}

const panel = (values: (number | undefined)[], scale: 'log' | 'linear' = 'log'): Panel => ({
  title: 'ratios',
  subtitle: 'test',
  groups: [{ label: 'case', bars: values.map((value) => ({ value, color: '#333' })) }],
  scale,
  domain: scale === 'log' ? logDomain(values.filter((v): v is number => v !== undefined)) : [0.7, 1.3],
  references: [{ value: 1, label: '1×' }, { value: 1 / 3, label: '1/3' }],
  legend: [{ label: 'ours', color: '#333' }],
});

describe('chart', () => {
  it('draws a finite bar for every measured value of a log panel, 0 and values off the axis included', () => {
    // 0 is what the report gives when a layer measures at or below the baseline (koa preflight).
    const svg = chart([panel([0, 0.0004, 0.33, 1, 7, 250])], { footer: 'f' });
    const attrs = numericAttributes(svg);
    expect(attrs.length).toBeGreaterThan(10);
    for (const { name, value } of attrs) expect(Number.isFinite(Number(value)), `${name}="${value}"`).toBe(true);
    const bars = [...svg.matchAll(/<rect x="[^"]*" y="[^"]*" width="([^"]*)" height="13"/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(6);
    for (const w of bars) expect(w).toBeGreaterThanOrEqual(1);
    expect(svg).toContain('0.0× (below 0.0010×)');
    expect(svg).not.toContain('not measured');
  });

  it('says "not measured" for a missing value instead of drawing a bar', () => {
    const svg = chart([panel([undefined, 0.5])], { footer: 'f' });
    expect(svg).toContain('not measured');
    for (const { value } of numericAttributes(svg)) expect(Number.isFinite(Number(value))).toBe(true);
  });

  it('refuses a domain a log axis cannot draw, instead of writing NaN', () => {
    expect(() => chart([{ ...panel([0.5]), domain: [0, 10] }], { footer: 'f' })).toThrow(/not a valid log domain/);
    expect(() => chart([{ ...panel([0.5], 'linear'), domain: [1, 1] }], { footer: 'f' })).toThrow(RangeError);
  });
});

describe('logDomain', () => {
  it('spans whole decades around the positive values and never starts at 0', () => {
    expect(logDomain([0, 0.33, 1.2])).toEqual([0.1, 10]);
    expect(logDomain([0.004, 30])).toEqual([0.001, 100]);
    expect(logDomain([])).toEqual([0.1, 10]);
    expect(logDomain([0, Number.NaN, -1])).toEqual([0.1, 10]);
  });
});
