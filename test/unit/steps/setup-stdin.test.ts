/**
 * A setup that reads a password on stdin (role.yaml setup `stdin`): the truststore password reaches keytool without a
 * file on the host or an argv in the process list. The roles' own trust-import script runs here with the real keytool.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { systemClock } from '../../../src/health/index.js';
import type { FileContent } from '../../../src/model/plan.js';
import { ROLE_NAMES } from '../../../src/model/inventory.js';
import { isSecret } from '../../../src/model/secret.js';
import { stepKinds, type StepContext } from '../../../src/steps/index.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { keytool, makeCa } from '../../fakes/make-certs.js';
import { shellTransport } from './shell.js';
import { steps } from './fixtures.js';

const KEY = 'setup-stdin:gw-1:gateway:gateway-trusts-internal-ca';
const PASSWORD = 'Ts-pw "q" $x';
const contents = new Map<string, FileContent>([[KEY, { sha256: KEY, content: `${PASSWORD}\n`, secret: true }]]);
const ctx = (t: RecordingTransport, c: ReadonlyMap<string, FileContent> = contents): StepContext => ({ transport: t, transportFor: () => undefined, contents: c, clock: systemClock, waitHealthy: async () => [] });

/** A trust-import setup's argv after `runuser -u {service_user} --`, its placeholders filled as the catalog would. */
function runnableImport(setupArgv: readonly string[], paths: { javaHome: string; bundle: string; store: string }): string[] {
  return setupArgv.slice(setupArgv.indexOf('--') + 1).map((a) => a.replace('{java_home}', paths.javaHome)
    .replace('{home}/repository/resources/security/apim-deploy-ca.pem', paths.bundle)
    .replace('{home}/repository/resources/security/client-truststore.jks', paths.store));
}

describe('run-once with stdinKey', () => {
  const step = { ...steps.runOnce, argv: ['sh', '-c', 'IFS= read -r P; printf %s "$P"'], stdinKey: KEY };

  it('sends the password on the command\'s stdin, never in its line, and writes no file', async () => {
    const t = new RecordingTransport('gw-1').on('test -e', { exitCode: 1 });
    expect(await stepKinds['run-once'].apply(step, ctx(t))).toMatchObject({ status: 'changed' });
    const call = t.calls.find((c) => c.op === 'exec' && c.line.includes('read -r P'));
    expect(call?.op === 'exec' && isSecret(call.command.stdin) && call.command.stdin.reveal()).toBe(`${PASSWORD}\n`);
    expect(t.lines.join('\n')).not.toContain(PASSWORD);
    expect(t.calls.some((c) => c.op === 'put' || c.op === 'putFile')).toBe(false);
    expect(stepKinds['run-once'].preview!(step).join('\n')).not.toContain(PASSWORD);
  });

  it('is a bug when the run has no content for it', async () => {
    const t = new RecordingTransport('gw-1').on('test -e', { exitCode: 1 });
    await expect(stepKinds['run-once'].apply(step, ctx(t, new Map()))).rejects.toThrow(`no content for the stdin of ${step.name}`);
  });
});

describe('the roles\' internal-CA import (keytool -storepass:env from stdin)', () => {
  const catalog = defaultRoleCatalog();
  const trust = ROLE_NAMES.flatMap((r) => catalog[r].setup.filter((s) => s.name.endsWith('-trusts-internal-ca')));

  it('is declared by every WSO2 role with the truststore password on stdin, and no role file renders it', () => {
    expect(trust.map((s) => s.stdin)).toEqual(trust.map(() => 'truststore_password'));
    expect(trust.length).toBe(5);
    for (const r of ROLE_NAMES) expect(catalog[r].files.map((f) => f.template)).not.toContain('common/truststore.env.eta');
  });

  it('imports the CA bundle into a truststore whose password only stdin carries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-stdin-'));
    makeCa(dir, 'corp');
    const jks = join(dir, 'client-truststore.jks');
    const keytool = realpathSync(execFileSync('sh', ['-c', 'command -v keytool'], { encoding: 'utf8' }).trim());
    execFileSync(keytool, ['-importcert', '-noprompt', '-alias', 'seed', '-file', join(dir, 'corp.crt'), '-keystore', jks, '-storetype', 'JKS', '-storepass', PASSWORD], { stdio: 'pipe' });
    writeFileSync(join(dir, 'bundle.pem'), readFileSync(join(dir, 'corp.crt')));
    const argv = runnableImport(trust[0]!.argv, { javaHome: dirname(dirname(keytool)), bundle: join(dir, 'bundle.pem'), store: jks });
    const t = shellTransport('gw-1');
    const marker = join(dir, 'state', '.trust-imported');
    await stepKinds['run-once'].apply({ ...steps.runOnce, argv, stdinKey: KEY, marker }, ctx(t));
    expect(existsSync(marker)).toBe(true);
    const list = execFileSync(keytool, ['-list', '-keystore', jks, '-storepass', PASSWORD], { encoding: 'utf8' });
    expect(list).toContain('apim-deploy-ca,');
    expect(t.lines.join('\n')).not.toContain(PASSWORD);
  }, 120_000);
});

describe('the internal-CA import script: one JVM per certificate into a new release, the old aliases replaced on a change', () => {
  const catalog = defaultRoleCatalog();
  const setup = catalog['gateway'].setup.find((s) => s.name === 'gateway-trusts-internal-ca')!;
  const real = keytool();
  const dir = mkdtempSync(join(tmpdir(), 'trust-import-'));
  // A JAVA_HOME whose keytool logs each run (its command, and the alias it names), then runs the JDK's.
  const javaHome = join(dir, 'jdk');
  mkdirSync(join(javaHome, 'bin'), { recursive: true });
  writeFileSync(join(javaHome, 'bin', 'keytool'), [
    '#!/bin/sh',
    'run= prev=',
    'for a; do case $a in -J*) ;; *) [ -n "$run" ] || run=$a; [ "$prev" != -alias ] || run="$run $a" ;; esac; prev=$a; done',
    `printf '%s\\n' "$run" >> '${join(dir, 'runs.log')}'`,
    `exec '${real}' "$@"`,
  ].join('\n'), { mode: 0o755 });
  for (const ca of ['a', 'b', 'c']) makeCa(dir, ca);
  const store = join(dir, 'client-truststore.jks');
  execFileSync(real, ['-importcert', '-noprompt', '-alias', 'wso2carbon', '-file', join(dir, 'c.crt'), '-keystore', store, '-storetype', 'JKS', '-storepass', PASSWORD], { stdio: 'pipe' });

  /** Runs the setup's script (after `runuser -u … --`) with this bundle; its exit, stderr and the keytool runs it made. */
  function importBundle(cas: readonly string[], password = PASSWORD): { code: number | null; stderr: string; runs: string[] } {
    writeFileSync(join(dir, 'bundle.pem'), cas.map((c) => readFileSync(join(dir, `${c}.crt`), 'utf8')).join(''));
    rmSync(join(dir, 'runs.log'), { force: true });
    const argv = runnableImport(setup.argv, { javaHome, bundle: join(dir, 'bundle.pem'), store });
    const r = spawnSync(argv[0]!, argv.slice(1), { input: `${password}\n`, encoding: 'utf8' });
    const runs = existsSync(join(dir, 'runs.log')) ? readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n') : [];
    return { code: r.status, stderr: r.stderr, runs };
  }
  /** alias → the certificate's SHA-256 fingerprint, for every entry of the truststore. */
  function entries(): Record<string, string> {
    const out = execFileSync(real, ['-list', '-keystore', store, '-storepass', PASSWORD], { encoding: 'utf8' });
    return Object.fromEntries([...out.matchAll(/^([^,\n]+),.*\n.*\(SHA-256\): (\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  }
  const fingerprint = (ca: string): string => execFileSync('openssl', ['x509', '-in', join(dir, `${ca}.crt`), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1]!;

  it('into the truststore as the pack ships it: each certificate imported by its own keytool, no -list', () => {
    expect(importBundle(['a', 'b'])).toEqual({ code: 0, stderr: '', runs: ['-importcert apim-deploy-ca', '-importcert apim-deploy-ca-2'] });
    expect(entries()).toEqual({ wso2carbon: fingerprint('c'), 'apim-deploy-ca': fingerprint('a'), 'apim-deploy-ca-2': fingerprint('b') });
  }, 120_000);

  it('after the bundle changed: the straight import fails on apim-deploy-ca, every old alias goes (apim-deploy-ca last) and the new bundle comes in', () => {
    const r = importBundle(['b']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.runs).toEqual(['-importcert apim-deploy-ca', '-list', '-delete apim-deploy-ca-2', '-delete apim-deploy-ca', '-importcert apim-deploy-ca']);
    expect(entries()).toEqual({ wso2carbon: fingerprint('c'), 'apim-deploy-ca': fingerprint('b') });
  }, 120_000);

  it('the same bundle again ends as it was', () => {
    expect(importBundle(['b']).code).toBe(0);
    expect(entries()).toEqual({ wso2carbon: fingerprint('c'), 'apim-deploy-ca': fingerprint('b') });
  }, 120_000);

  it('a wrong truststore password fails, and keytool says why', () => {
    const r = importBundle(['a'], 'not-the-password');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^keytool error: .*password was incorrect/m);
    expect(entries()).toEqual({ wso2carbon: fingerprint('c'), 'apim-deploy-ca': fingerprint('b') });
  }, 120_000);
});
