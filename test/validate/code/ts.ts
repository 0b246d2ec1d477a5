/**
 * Generated TypeScript must typecheck, as `tsc --noEmit -p tsconfig.json` would after `npm install`
 * in the generated repo: the tree is copied to a scratch directory whose node_modules is a symlink to
 * this repository's (express, pg, redis and @types/* resolve from there). The compiler runs in
 * process with a cache of parsed declaration files, so every tree after the first checks quickly.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { finding, type Finding } from '../finding.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = /(^|\/)(node_modules|dist|\.git|\.terraform)(\/|$)/;

/** Used when the tree has no tsconfig.json: the settings of the generator's own TS app. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: ['node'],
};

/** Parsed .d.ts files of node_modules and the TS lib, shared by every check in this process. */
const declarationCache = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes('/node_modules/')) return original(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let sf = declarationCache.get(key);
    if (!sf) {
      sf = original(fileName, languageVersion, onError, shouldCreate);
      if (sf) declarationCache.set(key, sf);
    }
    return sf;
  };
  return host;
}

function scratchCopy(dir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'validate-ts-'));
  cpSync(dir, scratch, { recursive: true, filter: (src) => !SKIP.test(src.slice(dir.length)) });
  symlinkSync(join(REPO, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  return scratch;
}

function toFinding(root: string, d: ts.Diagnostic): Finding {
  const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined)
    return finding('tsconfig.json', undefined, `tsc/TS${d.code}`, text, 'fix the TypeScript configuration');
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return finding(
    relative(root, d.file.fileName),
    line + 1,
    `tsc/TS${d.code}`,
    `${text} (column ${character + 1})`,
    'fix the type error in the template',
  );
}

/** Diagnostics of the tree's program; `files` are added to whatever the tree's tsconfig includes. */
function diagnostics(root: string, files: readonly string[]): readonly ts.Diagnostic[] {
  const configPath = join(root, 'tsconfig.json');
  let options = DEFAULT_OPTIONS;
  let rootNames = files.map((f) => join(root, f));
  const configErrors: ts.Diagnostic[] = [];
  if (existsSync(configPath)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      { noEmit: true },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
      },
    );
    if (parsed) {
      options = parsed.options;
      rootNames = [...new Set([...parsed.fileNames, ...rootNames])];
      configErrors.push(...parsed.errors);
    }
  }
  const program = ts.createProgram({ rootNames, options: { ...options, noEmit: true }, host: cachingHost(options) });
  return [...configErrors, ...ts.getPreEmitDiagnostics(program)];
}

/** Type errors of the tree's TypeScript files (one program for all of them). */
export async function validateTs(dir: string, files: readonly string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const scratch = scratchCopy(dir);
  try {
    return diagnostics(scratch, files)
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => toFinding(scratch, d));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
