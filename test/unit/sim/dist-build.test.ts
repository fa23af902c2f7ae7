import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildDistributions } from '../../../src/lab/dist/build.js';
import { labJdkTarball, sourceJdk } from '../../../src/lab/dist/jdk.js';
import { UsageError } from '../../../src/errors.js';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const listing = (zip: string): string[] => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');

describe('buildDistributions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-dist-'));
    // The jlinked JDK and the compiled Java helpers are built once per machine and cached: warm them first.
    await buildDistributions({ version: '4.6.0', outDir: join(dir, 'warm') });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the four 4.5+ packs, the JDK and the driver jars, byte-identical on every build', async () => {
    const first = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'a') });
    expect(first.files.map((f) => basename(f))).toEqual([
      'wso2am-4.6.0.zip', 'wso2am-acp-4.6.0.zip', 'wso2am-universal-gw-4.6.0.zip', 'wso2am-tm-4.6.0.zip', 'jdk-17.tar.gz',
      'jdbc-postgresql-sim.jar', 'jdbc-mysql-sim.jar',
    ]);
    const mtime = statSync(first.files[0]!).mtimeMs;
    const again = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'a') });
    expect(statSync(again.files[0]!).mtimeMs).toBe(mtime); // unchanged bytes are not rewritten
    const elsewhere = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'b') });
    expect(elsewhere.files.map(sha)).toEqual(first.files.map(sha));
  });

  it('lays the packs out like the real ones', async () => {
    const { files } = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'a') });
    const acp = listing(files[1]!);
    for (const path of [
      'wso2am-acp-4.6.0/bin/api-cp.sh', 'wso2am-acp-4.6.0/bin/key-manager.sh', 'wso2am-acp-4.6.0/bin/profileSetup.sh',
      'wso2am-acp-4.6.0/bin/version.txt', 'wso2am-acp-4.6.0/repository/conf/deployment.toml',
      'wso2am-acp-4.6.0/repository/resources/conf/deployment-templates/key-manager.toml',
      'wso2am-acp-4.6.0/dbscripts/postgresql.sql', 'wso2am-acp-4.6.0/dbscripts/mysql.sql',
      'wso2am-acp-4.6.0/dbscripts/apimgt/postgresql.sql', 'wso2am-acp-4.6.0/dbscripts/apimgt/mysql.sql',
      'wso2am-acp-4.6.0/repository/logs/', 'wso2am-acp-4.6.0/lib/wso2-sim.cjs', 'wso2am-acp-4.6.0/repository/deployment/server/',
      'wso2am-acp-4.6.0/repository/resources/security/wso2carbon.jks',
      'wso2am-acp-4.6.0/repository/resources/security/client-truststore.jks',
      'wso2am-acp-4.6.0/lib/wso2-sim-tls/SimTls.class', 'wso2am-acp-4.6.0/repository/components/lib/',
    ]) expect(acp).toContain(path);
    expect(listing(files[0]!)).toContain('wso2am-4.6.0/bin/api-manager.sh');
    expect(listing(files[0]!)).not.toContain('wso2am-4.6.0/bin/profileSetup.sh');
    expect(listing(files[2]!)).toContain('wso2am-universal-gw-4.6.0/bin/gateway.sh');
    expect(listing(files[3]!)).toContain('wso2am-tm-4.6.0/bin/traffic-manager.sh');
    const modes = execFileSync('unzip', ['-Z', files[2]!, 'wso2am-universal-gw-4.6.0/bin/gateway.sh'], { encoding: 'utf8' });
    expect(modes).toMatch(/^-rwxr-xr-x/);
    const jdk = execFileSync('tar', ['tzf', files[4]!], { encoding: 'utf8' });
    expect(jdk).toMatch(/^jdk-17\.0\.\d+\+\d+\/bin\/java$/m);
    expect(jdk).toMatch(/^jdk-17\.0\.\d+\+\d+\/bin\/keytool$/m);
    expect(listing(files[5]!)).toContain('org/postgresql/Driver.class');
    expect(listing(files[6]!)).toEqual(expect.arrayContaining(['com/mysql/cj/jdbc/Driver.class', 'com/mysql/jdbc/Driver.class']));
  });

  it('ships a real JDK: java -version and keytool work, and the packs\' keystores open with "wso2carbon"', async () => {
    const { files } = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'a') });
    const jdkDir = join(dir, 'jdk');
    execFileSync('mkdir', ['-p', jdkDir]);
    execFileSync('tar', ['xzf', files[4]!, '-C', jdkDir, '--strip-components=1']);
    const version = execFileSync(join(jdkDir, 'bin', 'java'), ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(version).toBe(''); // java -version prints on stderr
    const stderr = execFileSync('sh', ['-c', `"${join(jdkDir, 'bin', 'java')}" -version 2>&1`], { encoding: 'utf8' });
    expect(stderr).toMatch(/^openjdk version "17\.0\.\d+"/);
    expect(stderr).toMatch(/\(build [^)]*, mixed mode, sharing\)$/m); // classes mapped from its CDS archive, as a vendor's JDK does
    execFileSync('unzip', ['-q', '-o', files[2]!, 'wso2am-universal-gw-4.6.0/repository/resources/security/*', '-d', dir]);
    const security = join(dir, 'wso2am-universal-gw-4.6.0', 'repository', 'resources', 'security');
    const list = (store: string): string => execFileSync(join(jdkDir, 'bin', 'keytool'),
      ['-list', '-keystore', join(security, store), '-storepass', 'wso2carbon', '-storetype', 'JKS'], { encoding: 'utf8' });
    expect(list('wso2carbon.jks')).toMatch(/^wso2carbon, .*PrivateKeyEntry/m);
    expect(list('client-truststore.jks')).toMatch(/^wso2carbon, .*trustedCertEntry/m);
  }, 60_000);

  it('builds only the all-in-one pack with profiles for 4.0–4.4', async () => {
    const { files } = await buildDistributions({ version: '4.3.0', outDir: join(dir, 'c') });
    expect(files.map((f) => basename(f))).toEqual(['wso2am-4.3.0.zip', 'jdk-17.tar.gz', 'jdbc-postgresql-sim.jar', 'jdbc-mysql-sim.jar']);
    const aio = listing(files[0]!);
    expect(aio).toContain('wso2am-4.3.0/bin/api-manager.sh');
    expect(aio).toContain('wso2am-4.3.0/bin/profileSetup.sh');
    expect(aio).toContain('wso2am-4.3.0/repository/resources/conf/deployment-templates/gateway-worker.toml');
    const script = execFileSync('unzip', ['-p', files[0]!, 'wso2am-4.3.0/bin/profileSetup.sh'], { encoding: 'utf8' });
    expect(script).toContain('control-plane gateway-worker traffic-manager api-key-manager-node');
  });

  it('bakes a fault into the packs so their sha256 differs', async () => {
    const healthy = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'a') });
    const faulty = await buildDistributions({ version: '4.6.0', outDir: join(dir, 'f'), fault: 'unhealthy' });
    expect(sha(faulty.files[2]!)).not.toBe(sha(healthy.files[2]!));
    expect(sha(faulty.files[4]!)).toBe(sha(healthy.files[4]!)); // the JDK has no fault
    const manifest = execFileSync('unzip', ['-p', faulty.files[2]!, 'wso2am-universal-gw-4.6.0/lib/wso2-sim.json'], { encoding: 'utf8' });
    expect(JSON.parse(manifest)).toMatchObject({ fault: 'unhealthy', version: '4.6.0', product: 'WSO2 Universal Gateway' });
  });

  it('refuses unknown versions and faults with a usage error', async () => {
    await expect(buildDistributions({ version: '3.2.0', outDir: dir })).rejects.toBeInstanceOf(UsageError);
    await expect(buildDistributions({ version: '4.6.0', outDir: dir, fault: 'flaky' })).rejects.toThrow(/--fault flaky/);
  });

  it('pads a real-size JDK up to the size asked for in all, not by that much on top of the linked JDK', async () => {
    const mib = 1024 * 1024;
    const unpadded = (await labJdkTarball(await sourceJdk())).length;
    const sized = await labJdkTarball(await sourceJdk(), Math.ceil(unpadded / mib) + 8);
    expect(sized.length).toBeGreaterThan(unpadded + 7 * mib);
    // Within 1 MiB of the size asked for: with padding inside, gzip runs at level 1 (tar-writer.ts) and the JDK's own
    // files come out a little larger than in the unpadded tarball the padding was measured against.
    expect(sized.length).toBeLessThanOrEqual((Math.ceil(unpadded / mib) + 8) * mib + mib);
    const listing = execFileSync('tar', ['tzvf', '-'], { input: sized, encoding: 'utf8', maxBuffer: 16 * mib });
    expect(listing).toMatch(/ 8388608 .*\/lib\/modules\.padding$/m);
  }, 120_000);

  it('says which package to install when the source JDK has no jlink', async () => {
    await expect(sourceJdk(join(dir, 'no-such-jdk'))).rejects.toThrow(/openjdk-17-jdk-headless/);
  });
});
