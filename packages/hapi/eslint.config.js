export { default } from '@preflight/eslint-config';
