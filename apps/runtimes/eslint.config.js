import base from '@preflight/eslint-config';

// .build/, next/.next/ and next/lib/ are written by test/build.ts.
export default [{ ignores: ['.build/**', 'next/.next/**', 'next/lib/**', 'next/next-env.d.ts'] }, ...base];
