/**
 * `npx tsx bench/archives.ts`: what recognising real-size archives at validate time costs (issue 16, item 8).
 * Builds, in a temp dir, a JDK-like tarball of ~330 MB uncompressed with bin/java as its LAST entry (the worst case:
 * the whole stream is read) and a pack-like zip of 20,000 entries, then times archiveSummary cold (nothing cached),
 * again in this process (memory), and in a fresh process (the cache file in XDG_CACHE_HOME). Prints, asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { archiveSummary } from '../src/files/archive-index.js';
import { header } from '../src/lab/dist/tar-writer.js';
import { writeZip } from '../src/lab/dist/zip-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'apim-bench-archives-'));
process.env['XDG_CACHE_HOME'] = join(dir, 'cache');

async function bigJdk(file: string): Promise<void> {
  const gz = createGzip({ level: 1 });
  const out = gz.pipe(createWriteStream(file));
  const block = Buffer.concat([randomBytes(256 * 1024), Buffer.alloc(768 * 1024, 7)]); // ~1/4 incompressible, like jars
  for (let i = 0; i < 330; i++) {
    gz.write(header(`jdk-21.0.5+11/lib/part-${i}`, 0o644, block.length, false));
    gz.write(block);
  }
  gz.write(header('jdk-21.0.5+11/bin/java', 0o755, 0, false));
  gz.end(Buffer.alloc(1024));
  await new Promise<void>((resolve) => out.on('close', () => resolve()));
}

const time = async (label: string, fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  console.log(`  ${label.padEnd(48)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms`);
};

const jdk = join(dir, 'jdk.tar.gz');
await bigJdk(jdk);
const zip = join(dir, 'pack.zip');
const entries = Array.from({ length: 20_000 }, (_, i) => ({ path: `wso2am-acp-4.6.0/repository/components/plugins/p${i}.jar`, mode: 0o644, data: Buffer.alloc(64, i % 251) }));
const { writeFileSync } = await import('node:fs');
writeFileSync(zip, writeZip([{ path: 'wso2am-acp-4.6.0/bin/api-cp.sh', mode: 0o755, data: Buffer.from('#!/bin/sh\n') }, ...entries]));
console.log(`archives: JDK-like tar.gz ${(statSync(jdk).size / 1e6).toFixed(0)} MB (bin/java last), zip of ${entries.length + 1} entries ${(statSync(zip).size / 1e6).toFixed(1)} MB`);
await time('tar.gz, cold (streamed to its last entry)', () => archiveSummary(jdk, 'tar.gz'));
await time('tar.gz, again in-process (memory)', () => archiveSummary(jdk, 'tar.gz'));
await time('zip, cold (central directory only)', () => archiveSummary(zip, 'zip'));
const child = (file: string, format: string) => `import('${join(import.meta.dirname, '../src/files/archive-index.ts')}').then((m) => { const t = performance.now(); return m.archiveSummary('${file}', '${format}').then(() => console.log((performance.now() - t).toFixed(0))); })`;
for (const [file, format] of [[jdk, 'tar.gz'], [zip, 'zip']] as const) {
  const ms = execFileSync('npx', ['tsx', '-e', child(file, format)], { encoding: 'utf8', env: process.env }).trim();
  console.log(`  ${`${format}, fresh process (cache file)`.padEnd(48)} ${ms.padStart(6)} ms`);
}
rmSync(dir, { recursive: true, force: true });
