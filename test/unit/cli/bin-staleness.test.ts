/**
 * bin/apim-deploy runs the bundle only when it cannot be stale, else the sources through tsx. Checked on a package
 * tree of its own (the real bin/apim-deploy, stand-ins for the bundle and the sources that say which one ran), with
 * file times set explicitly, so nothing depends on how fast the machine is.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_CALL_MS, REPO, cliTimeout } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'apim-bin-'));
const BUNDLE = join(root, 'build/cli/main.mjs');
const SOURCES = ['src/cli/main.ts', 'src/catalog/roles.ts'];
const now = Date.now() / 1000;
/** Seconds before now: the sources were written at T-100, the bundle at T-50 unless a case says otherwise. */
const at = (secondsAgo: number) => now - secondsAgo;

function write(rel: string, text: string, secondsAgo: number): void {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, at(secondsAgo), at(secondsAgo));
}

/** Directories too: a directory's time moves when an entry is added or removed. */
function age(rel: string, secondsAgo: number): void {
  utimesSync(join(root, rel), at(secondsAgo), at(secondsAgo));
}

/** Which one ran, and the arguments it got. */
function ran(...args: string[]): string {
  return execFileSync(join(root, 'bin/apim-deploy'), args, { encoding: 'utf8', timeout: CLI_CALL_MS }).trim();
}

beforeEach(() => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(join(REPO, 'bin/apim-deploy'), join(root, 'bin/apim-deploy'));
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules/tsx'), join(root, 'node_modules/tsx'));
  write('node_modules/.package-lock.json', '{}', 100);
  write('scripts/build.mjs', '// the build script: its presence marks a clone', 100);
  write(SOURCES[0]!, "process.stdout.write(`tsx ${JSON.stringify(process.argv.slice(2))}`);\n", 100);
  write(SOURCES[1]!, 'export {};\n', 100);
  for (const d of ['src/cli', 'src/catalog', 'src', 'scripts']) age(d, 100);
  write('build/cli/main.mjs', "process.stdout.write(`bundle ${JSON.stringify(process.argv.slice(2))}`);\n", 50);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bin/apim-deploy: the bundle, unless it may be stale', { timeout: cliTimeout(2) }, () => {
  it('runs the bundle when no source is newer, passing every argument on (node takes none of them)', () => {
    expect(ran('validate', '--env-file', 'x.env', '-i', 'a b.yaml')).toBe('bundle ["--","validate","--env-file","x.env","-i","a b.yaml"]');
  });

  it('runs the sources when a source file is newer than the bundle', () => {
    write(SOURCES[1]!, 'export const changed = 1;\n', 10);
    age('src/catalog', 100);
    expect(ran('--version')).toMatch(/^tsx /);
  });

  it('runs the bundle again once it is rebuilt', () => {
    write(SOURCES[1]!, 'export const changed = 1;\n', 10);
    age('src/catalog', 100);
    utimesSync(BUNDLE, at(5), at(5));
    expect(ran('--version')).toMatch(/^bundle /);
  });

  it('runs the sources when a source file was added or removed (its directory is newer)', () => {
    write('src/catalog/new.ts', 'export {};\n', 100);
    expect(ran('--version')).toMatch(/^tsx /);
    age('src/catalog', 100);
    rmSync(join(root, 'src/catalog/new.ts'));
    expect(ran('--version')).toMatch(/^tsx /);
  });

  it('runs the sources after a new node_modules (npm ci) or a changed build script', () => {
    write('node_modules/.package-lock.json', '{"new": true}', 10);
    expect(ran('--version')).toMatch(/^tsx /);
    write('node_modules/.package-lock.json', '{}', 100);
    write('scripts/build.mjs', '// changed', 10);
    expect(ran('--version')).toMatch(/^tsx /);
  });

  it('runs the sources when there is no bundle', () => {
    rmSync(join(root, 'build'), { recursive: true });
    expect(ran('--version')).toBe('tsx ["--","--version"]');
  });

  it('in an installed package (no build script, npm stamps every file with the install time) runs the bundle', () => {
    rmSync(join(root, 'scripts'), { recursive: true });
    rmSync(join(root, 'node_modules/.package-lock.json'));
    write(SOURCES[0]!, "process.stdout.write('tsx');\n", 1);
    expect(ran('--version')).toMatch(/^bundle /);
  });
});
