import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import type { Sample } from './extract.js';

/** A sample written out as a source file, ready to be type-checked. */
export interface WrittenSample {
  readonly sample: Sample;
  /** Absolute path of the generated file. */
  readonly path: string;
  /** Lines of prelude before the sample's first line. */
  readonly preludeLines: number;
}

/** Where things are. */
export interface Layout {
  /** The repository root (Markdown paths are relative to it). */
  readonly root: string;
  /** Where generated files go (emptied first); inside this package so that its dependencies resolve. */
  readonly outDir: string;
  /** `preludes/<name>.ts`. */
  readonly preludeDir: string;
  /** Modules that samples import by relative path but never show (copied next to every sample). */
  readonly stubDir: string;
}

const SEPARATOR = '// ---- sample ----';

/** `packages/node/README.md` → `packages__node__README`. */
function slug(file: string): string {
  return file.replace(/\.md$/i, '').replace(/[^\w-]+/g, '__');
}

/**
 * Write every checked sample (skipped ones excluded) into `layout.outDir`, one directory per
 * Markdown file, with its preludes prepended and the stubs alongside. Throws on an unknown
 * prelude or two samples claiming the same file name.
 */
export function writeSamples(samples: readonly Sample[], layout: Layout): WrittenSample[] {
  rmSync(layout.outDir, { recursive: true, force: true });
  const stubs = readdirSync(layout.stubDir).filter((f) => f.endsWith('.ts'));
  const dirs = new Set<string>();
  const written: WrittenSample[] = [];
  const taken = new Set<string>();
  for (const sample of samples) {
    if (sample.skip !== undefined) continue;
    const dir = join(layout.outDir, slug(sample.file));
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      for (const stub of stubs) copyFileSync(join(layout.stubDir, stub), join(dir, stub));
      dirs.add(dir);
    }
    const name = sample.fileName ?? `L${sample.line}.${sample.lang === 'ts' ? 'ts' : 'js'}`;
    const path = join(dir, name);
    if (taken.has(path) || stubs.includes(name)) throw new Error(`${sample.file}:${sample.line}: the file name ${name} is already taken`);
    taken.add(path);
    let prelude = '';
    for (const p of sample.preludes) {
      let text: string;
      try {
        text = readFileSync(join(layout.preludeDir, `${p}.ts`), 'utf8');
      } catch {
        throw new Error(`${sample.file}:${sample.line}: unknown prelude "${p}" (no ${relative(layout.root, join(layout.preludeDir, `${p}.ts`))})`);
      }
      prelude += `// ---- prelude ${p} ----\n${text.endsWith('\n') ? text : `${text}\n`}`;
    }
    if (prelude !== '') prelude += `${SEPARATOR}\n`;
    const preludeLines = prelude === '' ? 0 : prelude.split('\n').length - 1;
    // `export {}` makes every sample a module: samples never share a scope.
    writeFileSync(path, `${prelude}${sample.code}\n\nexport {};\n`);
    written.push({ sample, path, preludeLines });
  }
  return written;
}

/** Type-checks written samples in one program. */
export interface SampleChecker {
  /** Problems with the compiler options themselves (should be none). */
  readonly optionProblems: readonly string[];
  /** Diagnostics of one sample, each as `file.md:line:column TSnnnn: message`. */
  diagnosticsOf(written: WrittenSample): string[];
}

const FORMAT_HOST: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

/**
 * Build one TypeScript program over every written sample, with the compiler options of
 * `tsconfigPath` (its `files` are kept: ambient declarations the samples may rely on).
 */
export function createChecker(written: readonly WrittenSample[], tsconfigPath: string): SampleChecker {
  const config = ts.readConfigFile(tsconfigPath, (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.formatDiagnostics([config.error], FORMAT_HOST));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath), undefined, tsconfigPath);
  const optionProblems = parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const program = ts.createProgram({
    rootNames: [...parsed.fileNames, ...written.map((w) => w.path)],
    options: parsed.options,
  });
  optionProblems.push(...program.getOptionsDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')));
  optionProblems.push(...program.getGlobalDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')));

  return {
    optionProblems,
    diagnosticsOf(w: WrittenSample): string[] {
      const source = program.getSourceFile(w.path);
      if (source === undefined) return [`${w.sample.file}:${w.sample.line}: the generated file was not part of the program`];
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      return diagnostics.map((d) => describe(d, w, source));
    },
  };
}

/** A diagnostic, located in the Markdown file (or in the prelude it came from). */
function describe(d: ts.Diagnostic, w: WrittenSample, source: ts.SourceFile): string {
  const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  if (d.file === undefined || d.start === undefined) return `${w.sample.file}:${w.sample.line}: ${message}`;
  if (d.file !== source) return `${w.sample.file}:${w.sample.line}: in ${relative(process.cwd(), d.file.fileName)}: ${message}`;
  const { line, character } = source.getLineAndCharacterOfPosition(d.start);
  if (line < w.preludeLines) {
    return `${w.sample.file}:${w.sample.line}: in the prelude (generated line ${line + 1}): ${message}`;
  }
  // The code starts on the line after the opening fence.
  const mdLine = w.sample.line + 1 + (line - w.preludeLines);
  const mdColumn = character + 1 + w.sample.indent;
  return `${w.sample.file}:${mdLine}:${mdColumn} ${message}`;
}
