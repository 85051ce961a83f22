import base from '@preflight/eslint-config';

// `.samples/` holds the documentation samples written out by the test (generated, ignored by
// git). Preludes are fragments prepended to samples, type-checked there, not modules to lint.
export default [{ ignores: ['.samples/**', 'preludes/**'] }, ...base];
