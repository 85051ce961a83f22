import config from '@preflight/eslint-config';

// fixtures/ are the scratch projects' own sources (CommonJS, decorators, other tsconfigs):
// they are checked by running and compiling them in the smoke tests.
export default [{ ignores: ['fixtures/**'] }, ...config];
