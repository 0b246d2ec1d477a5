/**
 * Committed `.env` files the image will not have. The generated .dockerignore keeps every `.env` and
 * `.env.*` of the build context out of the image (they may hold secrets), so a service whose config
 * loader reads e.g. `.env.production.local` runs in the container without those variables: say which
 * ones, so the user moves them into the task definition before the first deployment fails.
 */
import { readdirSync } from 'node:fs';
import { gitFileStatus } from './git.js';
import { readText } from './read.js';

/** `.env`, `.env.production`, … at the root (the patterns .dockerignore excludes), templates aside. */
const ENV_FILE = /^\.env(\.[\w.-]+)?$/;
const TEMPLATE = /\.(example|sample|template|dist|defaults)$/;

/** Variable names a dotenv file sets (`KEY=…`, `export KEY=…`, spaces around `=` allowed). */
export function dotenvNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (m && !names.includes(m[1]!)) names.push(m[1]!);
  }
  return names;
}

/** One warning naming the committed root `.env*` files (every one outside a git work tree) and what they set. */
export function envFileWarnings(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => ENV_FILE.test(f) && !TEMPLATE.test(f))
      .sort();
  } catch {
    return [];
  }
  const status = gitFileStatus(dir, files);
  // PORT is the container port, which the task definition sets already.
  const committed = (status ? files.filter((f) => status.tracked.has(f)) : files).filter((f) =>
    dotenvNames(readText(dir, f) ?? '').some((n) => n !== 'PORT'),
  );
  if (!committed.length) return [];
  const names = [...new Set(committed.flatMap((f) => dotenvNames(readText(dir, f) ?? '')))].filter((n) => n !== 'PORT');
  const which = committed.length === 1 ? `${committed[0]} is committed` : `${committed.join(', ')} are committed`;
  return [
    `${which}, but .dockerignore keeps every .env file out of the image (they may hold secrets): the container will not see ${names.join(', ')} from them. Set those the service needs in production in the task definitions (.aws/taskdef.*.json: environment, or secrets for credentials).`,
  ];
}
