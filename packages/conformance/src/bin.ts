#!/usr/bin/env node
// The `cors-conformance` command (package.json "bin"): `cors-conformance audit <url> …`.
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
