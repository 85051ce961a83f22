import config from '@preflight/eslint-config';

// public/ holds the playground's browser scripts (plain JS, no bundler).
const browserGlobals = Object.fromEntries(
  ['window', 'self', 'document', 'location', 'performance', 'fetch', 'console', 'HTMLElement', 'HTMLInputElement', 'XMLHttpRequest', 'Image', 'ImageData', 'DOMException', 'setTimeout', 'clearTimeout', 'PerformanceObserver'].map((name) => [name, 'readonly']),
);

export default [...config, { files: ['public/**/*.js'], languageOptions: { globals: browserGlobals } }];
