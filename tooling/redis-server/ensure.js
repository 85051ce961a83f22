#!/usr/bin/env node
// Makes sure redis-server is there before suites that start it run (see `ensureRedisServer`):
// installing Debian's package takes 30-60 s on a fresh machine, more than a test hook may wait.
// - As a command: the root `pnpm test` runs it once, before turbo starts the packages' suites
//   in parallel (two suites installing at once would contend for apt's locks).
// - As Vitest's `globalSetup` (packages/redis, apps/examples/multi-tenant): a suite run on its
//   own installs it before its first test file, outside any hook timeout.
import { fileURLToPath } from 'node:url';
import { ensureRedisServer } from './index.js';

export default function setup() {
  ensureRedisServer();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`[preflight] redis-server: ${ensureRedisServer()}`);
