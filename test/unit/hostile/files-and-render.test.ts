import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { archiveSummary, sniffArchive } from '../../../src/files/archive-index.js';
import { readBounded } from '../../../src/files/bounded-read.js';
import { readZipEntry, zipDirectory } from '../../../src/files/zip-directory.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { writeTarGz } from '../../../src/lab/dist/tar-writer.js';
import { desiredState } from '../../../src/planner/desired-state.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { writeRenderedTree } from '../../../src/render/write-tree.js';
import { loadUpgradeInventory } from '../../../src/workflows/run/inventory-at-version.js';
import { planningInputs } from '../../../src/workflows/run/planning-inputs.js';
import { FIXTURE_DIST, inventoryText, writeInventory } from '../../fixtures/hostile-inventory.js';

const refused = async (p: Promise<unknown>): Promise<ConfigError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('not refused');
};

describe('item 6: files are checked for what they are before they are read, within a size limit', () => {
  it('-i /dev/zero, a directory, a too large or a binary file: one sentence, exit 3, no read past the limit', async () => {
    const w = writeInventory();
    expect((await refused(loadInventory('/dev/zero'))).message).toBe('inventory /dev/zero is a character device (like /dev/zero), not a file');
    expect((await refused(loadInventory(w.dir))).message).toMatch(/is a directory, not a file$/);
    const big = join(w.dir, 'big.yaml');
    writeFileSync(big, `name: x\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect((await refused(loadInventory(big))).message).toMatch(/big\.yaml is 2 MiB, more than the 1 MiB allowed$/);
    const binary = join(w.dir, 'bin.yaml');
    writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    expect((await refused(loadInventory(binary))).message).toMatch(/is not UTF-8 text/);
  });

  it('--env-file /dev/zero or a directory: refused, never read', async () => {
    const w = writeInventory();
    expect((await refused(loadInventory(w.inventory, { envFile: '/dev/zero' }))).message).toMatch(/^dotenv file \/dev\/zero is a character device/);
    expect((await refused(loadInventory(w.inventory, { envFile: w.dir }))).message).toMatch(/is a directory, not a file$/);
  });

  it('a reader of a file that reports no size (/proc) still stops at the limit', () => {
    const r = readBounded('/proc/self/maps', 16);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
  });
});

describe('Smaller: an unquoted # in a dotenv value is a warning with its line, the value never shown', () => {
  it('validate passes and warns at the line', async () => {
    const w = writeInventory({}, 'ADMIN_PASSWORD=Adm1n#secret-tail\nDB_PASSWORD="db#quoted-is-fine"\n');
    const inv = await loadInventory(w.inventory, { envFile: w.env });
    expect(inv.warnings).toEqual([{ file: w.env, line: 1, col: 1, path: 'ADMIN_PASSWORD', message: expect.stringMatching(/unquoted "#" starts a comment/) }]);
    expect(JSON.stringify(inv.warnings)).not.toContain('secret-tail');
  });
});

describe('item 3: IPv6 addresses reach nginx and health URLs in brackets', () => {
  it('upstream servers are [addr]:port, the balancer listens on [::] too, health URLs are bracketed', async () => {
    const w = writeInventory({ hosts: {
      'cp-1': 'address: "2001:db8::1"', 'tm-1': 'address: "2001:db8::2"', 'gw-1': 'address: "2001:DB8::3"', 'lb-1': 'address: "2001:db8::4"', 'db-1': 'address: "2001:db8::5"',
    } });
    const nodes = renderInventory(await loadInventory(w.inventory, { envFile: w.env }));
    const nginx = nodes.find((n) => n.role === 'load-balancer')!.files.find((f) => f.path === '/etc/nginx/nginx.conf')!.content;
    expect(nginx).toContain('server [2001:db8::3]:8243;');
    expect(nginx).toContain('server [2001:db8::1]:9443;');
    expect(nginx).toContain('listen [::]:8243 ssl;');
    expect(nginx).not.toMatch(/server [0-9a-f:]+:\d+;/);
    const gw = nodes.find((n) => n.role === 'gateway')!;
    const urls = gw.runtime.checks.flatMap((c) => (c.kind === 'http' ? [c.url] : []));
    expect(urls).toEqual(['http://[2001:db8::3]:9763/services/Version', 'https://[2001:db8::3]:9443/api/am/gateway/v2/server-startup-healthcheck']);
    const toml = gw.files.find((f) => f.path.endsWith('deployment.toml'))!.content;
    expect(toml).toContain('"tcp://[2001:db8::2]:5672"');
    const hba = nodes.find((n) => n.role === 'database')!.files.find((f) => f.path.endsWith('pg_hba.conf'))!.content;
    expect(hba).toMatch(/2001:db8::1\/128/);
  });
});

describe('item 4: two distributions whose files share a name stay apart on the host', () => {
  it('each kind has its own remote path and plan key', async () => {
    const base = mkdtempSync(join(tmpdir(), 'apim-samename-'));
    for (const [kind, src] of [['a', 'wso2am-acp-4.6.0.zip'], ['b', 'wso2am-universal-gw-4.6.0.zip'], ['c', 'wso2am-tm-4.6.0.zip']] as const) {
      mkdirSync(join(base, kind));
      copyFileSync(join(FIXTURE_DIST, src), join(base, kind, 'wso2am.zip'));
    }
    const w = writeInventory({ distributions: `    acp: { path: ${base}/a/wso2am.zip }
    universal-gw: { path: ${base}/b/wso2am.zip }
    tm: { path: ${base}/c/wso2am.zip }` });
    const inv = await loadInventory(w.inventory, { envFile: w.env });
    const p = await planningInputs(inv);
    const archives = desiredState(p.inputs).flatMap((d) => d.artifacts.map((a) => `${d.host.name} ${a.path} ${a.artifact.key}`));
    expect(archives.filter((a) => a.includes('wso2am.zip')).sort()).toEqual([
      'cp-1 /opt/wso2/.artifacts/acp/wso2am.zip acp',
      'gw-1 /opt/wso2/.artifacts/universal-gw/wso2am.zip universal-gw',
      'tm-1 /opt/wso2/.artifacts/tm/wso2am.zip tm',
    ]);
  });
});

describe('item 7: render never writes outside --out', () => {
  it('a symlink planted in the out dir that leads out is refused, and nothing is written through it', async () => {
    const w = writeInventory();
    const nodes = renderInventory(await loadInventory(w.inventory, { envFile: w.env, requireArtifacts: false }));
    const out = mkdtempSync(join(tmpdir(), 'apim-out-'));
    const outside = mkdtempSync(join(tmpdir(), 'apim-outside-'));
    mkdirSync(join(out, 'lb-1'));
    symlinkSync(outside, join(out, 'lb-1', 'etc'));
    expect(() => writeRenderedTree(nodes, out)).toThrow(/leads outside .* through a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a symlink at a file\'s own name is not followed', async () => {
    const w = writeInventory();
    const nodes = renderInventory(await loadInventory(w.inventory, { envFile: w.env, requireArtifacts: false })).filter((n) => n.role === 'load-balancer');
    const out = mkdtempSync(join(tmpdir(), 'apim-out-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'apim-victim-')), 'victim');
    writeFileSync(victim, 'precious');
    mkdirSync(join(out, 'lb-1', 'etc', 'nginx'), { recursive: true });
    symlinkSync(victim, join(out, 'lb-1', 'etc', 'nginx', 'nginx.conf'));
    expect(() => writeRenderedTree(nodes, out)).toThrow(/exists and is not a regular file/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });
});

describe('item 8: archives are recognised from their bytes, reading only the zip directory or a tarball\'s head', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-archives-'));

  it('a truncated zip, an empty file and text are not archives', async () => {
    const cut = join(dir, 'cut.zip');
    copyFileSync(join(FIXTURE_DIST, 'wso2am-acp-4.6.0.zip'), cut);
    truncateSync(cut, 200);
    expect(sniffArchive(cut)).toBe('zip');
    await expect(archiveSummary(cut, 'zip')).rejects.toThrow(/is not a zip archive \(no zip directory at its end\)/);
    writeFileSync(join(dir, 'empty'), '');
    expect(sniffArchive(join(dir, 'empty'))).toBeUndefined();
    expect(sniffArchive('/etc/hostname')).toBeUndefined();
  });

  it('a gzip that is not a tar, and a tarball without bin/java', async () => {
    writeFileSync(join(dir, 'text.gz'), gzipSync('just text, no tar headers here'.repeat(40)));
    await expect(archiveSummary(join(dir, 'text.gz'), 'tar.gz')).rejects.toThrow(/is a gzip file but not a tar archive/);
    writeFileSync(join(dir, 'nojava.tar.gz'), writeTarGz([{ path: 'jdk-21/lib/x', mode: 0o644, data: Buffer.from('x') }]));
    const s = await archiveSummary(join(dir, 'nojava.tar.gz'), 'tar.gz');
    expect(s.names).toEqual(['jdk-21/', 'jdk-21/lib/', 'jdk-21/lib/x']);
    expect(s.complete).toBe(true);
  });

  it('a tarball is read only until bin/java', async () => {
    const entries = [{ path: 'jdk/bin/java', mode: 0o755, data: Buffer.from('#!/bin/sh\n') },
      ...Array.from({ length: 300 }, (_, i) => ({ path: `jdk/zz/${String(i).padStart(3, '0')}`, mode: 0o644, data: Buffer.alloc(2048, i) }))];
    writeFileSync(join(dir, 'jdk.tar.gz'), writeTarGz(entries));
    const s = await archiveSummary(join(dir, 'jdk.tar.gz'), 'tar.gz');
    expect(s.complete).toBe(false);
    expect(s.names).toEqual(['jdk/', 'jdk/bin/', 'jdk/bin/java']);
  });

  it('the zip directory is parsed in-process, with the entries every other reader sees', () => {
    const entries = zipDirectory(join(FIXTURE_DIST, 'wso2am-acp-4.6.0.zip'));
    expect(entries.map((e) => e.name)).toEqual([
      'wso2am-acp-4.6.0/', 'wso2am-acp-4.6.0/bin/', 'wso2am-acp-4.6.0/bin/api-cp.sh', 'wso2am-acp-4.6.0/bin/key-manager.sh',
      'wso2am-acp-4.6.0/dbscripts/', 'wso2am-acp-4.6.0/dbscripts/apimgt/', 'wso2am-acp-4.6.0/dbscripts/apimgt/mysql.sql',
      'wso2am-acp-4.6.0/dbscripts/apimgt/postgresql.sql', 'wso2am-acp-4.6.0/dbscripts/mysql.sql', 'wso2am-acp-4.6.0/dbscripts/postgresql.sql',
    ]);
    expect(entries.find((e) => e.name.endsWith('api-cp.sh'))?.unixMode).toBe(0o755);
    expect(readZipEntry(join(FIXTURE_DIST, 'wso2am-acp-4.6.0.zip'), entries.find((e) => e.name.endsWith('/dbscripts/postgresql.sql'))!).toString())
      .toBe('-- fixture: no tables\nSELECT 1;\n');
  });

  it('a summary is cached by file identity in the user cache directory', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'apim-cache-'));
    const saved = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = cache;
    try {
      const jdk = join(dir, 'cached.tar.gz');
      writeFileSync(jdk, writeTarGz([{ path: 'j/bin/java', mode: 0o755, data: Buffer.from('x') }]));
      await archiveSummary(jdk, 'tar.gz');
      const doc = JSON.parse(readFileSync(join(cache, 'apim-deploy', 'archives.json'), 'utf8'));
      expect(Object.values(doc.entries)).toContainEqual({ format: 'tar.gz', names: ['j/', 'j/bin/', 'j/bin/java'], complete: false });
    } finally {
      if (saved === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = saved;
    }
  });

  it('upgrade --to V recognises the archives of V too', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'apim-to-'));
    for (const v of ['4.6.0', '4.5.0']) for (const k of ['acp', 'universal-gw']) copyFileSync(join(FIXTURE_DIST, `wso2am-${k}-${v}.zip`), join(dist, `wso2am-${k}-${v}.zip`));
    copyFileSync(join(FIXTURE_DIST, 'wso2am-tm-4.6.0.zip'), join(dist, 'wso2am-tm-4.6.0.zip'));
    copyFileSync(join(FIXTURE_DIST, 'wso2am-tm-4.6.0.zip'), join(dist, 'wso2am-tm-4.5.0.zip')); // mislabelled
    const w = writeInventory({ distributions: `    acp: { path: "${dist}/wso2am-acp-{version}.zip" }
    universal-gw: { path: "${dist}/wso2am-universal-gw-{version}.zip" }
    tm: { path: "${dist}/wso2am-tm-{version}.zip" }` });
    const err = await refused(loadUpgradeInventory(w.inventory, { envFile: w.env, to: '4.5.0' }));
    expect(err.issues.map((i) => `${i.line} ${i.path} ${i.message.replace(/^\S+ /, '')}`)).toEqual([
      "8 apim.distributions.tm.path is APIM 4.6.0's tm distribution, but apim.version is 4.5.0",
    ]);
  });

  it('the fixture inventory with real archives validates (the checks accept what they should)', async () => {
    const w = writeInventory(inventoryText());
    await expect(loadInventory(w.inventory, { envFile: w.env })).resolves.toMatchObject({ name: 'hostile' });
  });
});
