/**
 * Where an engine does otherwise than the standards require, in one sentence each: shared
 * by the playground's expectations and the browser tests' cases (docs/browsers.md lists them).
 */
export const ENGINE_DIFFERENCES = {
  /** WebKit and @font-face. */
  webkitFonts:
    'WebKit fetches @font-face fonts without CORS (no Origin header, cookies sent), so a cross-origin font loads whatever the CORS headers say; the CSS Fonts standard requires a CORS request.',
  /** WebKit's resource timing, which the page uses to know a shape image has arrived. */
  webkitResourceTiming:
    'WebKit has no PerformanceResourceTiming.responseStatus and records no resource timing entry for a shape image that failed its CORS check; the shape itself behaves as the standard requires.',
} as const;
