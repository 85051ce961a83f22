import { describe, expect, it } from 'vitest';
import { ENGINE_IDS, launchWebKit, selectedEngines } from '@preflight/demo';

// The engine drivers' own guarantees: which engines a run selects, and that a WebKit session
// start fails instead of hanging when there is no usable display.

describe('PREFLIGHT_ENGINES', () => {
  it('selects all three engines by default, in order', () => {
    expect(selectedEngines(undefined)).toEqual(['chromium', 'firefox', 'webkit']);
    expect(selectedEngines('')).toEqual(ENGINE_IDS);
  });

  it('selects some, in the standard order, case-insensitively', () => {
    expect(selectedEngines('WebKit, firefox')).toEqual(['firefox', 'webkit']);
  });

  it('throws on an unknown engine, naming the valid ones', () => {
    expect(() => selectedEngines('chromium,safari')).toThrow(/unknown engine "safari" \(expected some of chromium, firefox, webkit\)/);
  });
});

describe.runIf(selectedEngines().includes('webkit'))('WebKit without a display', () => {
  it('a session start fails within its timeout instead of hanging', async () => {
    // A display number nothing listens on: MiniBrowser cannot open a window.
    // The test's own timeout (70 s) is what a hang would hit.
    await expect(launchWebKit({ display: ':4711', sessionStartTimeout: 10_000 })).rejects.toThrow(/^WebKit: no WebDriver session/);
  }, 70_000);
});
