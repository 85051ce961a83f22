import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Markdown files whose samples are checked, relative to the repository root, sorted:
 * `README.md`, `CONTRIBUTING.md`, `docs/*.md`, `packages/*\/README.md`, `apps/*\/README.md`
 * and `apps/examples/*\/README.md`.
 */
export function documentationFiles(root: string): string[] {
  const found: string[] = [];
  const add = (path: string): void => {
    if (existsSync(join(root, path))) found.push(path);
  };
  add('README.md');
  add('CONTRIBUTING.md');
  for (const f of list(root, 'docs')) if (f.endsWith('.md')) found.push(`docs/${f}`);
  for (const dir of ['packages', 'apps', 'apps/examples']) {
    for (const name of list(root, dir)) add(`${dir}/${name}/README.md`);
  }
  return found.sort();
}

function list(root: string, dir: string): string[] {
  try {
    return readdirSync(join(root, dir));
  } catch {
    return [];
  }
}
