import config from '@preflight/eslint-config';

// .venv: the Python virtual environment of the Flask server (git-ignored).
export default [{ ignores: ['.venv/**'] }, ...config];
