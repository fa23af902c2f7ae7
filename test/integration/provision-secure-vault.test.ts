/**
 * WSO2 secure vault on a lab pattern 0 (one all-in-one node behind a balancer, H2), through the real CLI: every
 * password apim-deploy writes into deployment.toml is a `$secret{alias}` encrypted on the controller with the node's
 * own RSA keystore, the keystore password reaches the node as Carbon's password-tmp just before the start, and the
 * simulated node decrypts [secrets] with its private key (the lab JDK's Cipher) and deletes password-tmp. No plain
 * password is left in any file under /opt, /etc, the service user's home or /tmp; a second run changes nothing.
 *
 * Not grepped for: the truststore password (`wso2carbon`, the packs' published client-truststore.jks password, which
 * is also the service user's name and so in many files).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCa, makeJks, makeLeaf, makePkcs12 } from '../fakes/make-certs.js';
import { baseVars, changedCount, failureSummary, provisionCli, runCli, useLab, waitFor, type DeploymentFiles } from './support/index.js';

const NAMES = ['aio-1', 'lb-1'];
const lab = useLab({ workspace: 'apim-secure-vault', lab: { name: 't-i12v', names: NAMES, subnet: '10.213.165.0/24' } });
const KS_PASSWORD = 'Vault-ks-pw9';
const ADMIN_PASSWORD = 'Vault-admin-pw7';
const HOME = '/opt/wso2/all-in-one/current';
let files: DeploymentFiles;

beforeAll(async () => {
  const dir = lab.ws.dir;
  makeCa(dir, 'corp-ca');
  makeLeaf(dir, 'aio', ['DNS:aio-1', `IP:${lab.address('aio-1')}`], 200, 'corp-ca');
  makePkcs12(dir, 'aio', 'aio', KS_PASSWORD, 'corp-ca');
  makeJks(dir, 'aio', 'aio', KS_PASSWORD);
  files = lab.deploy({
    name: 'secure-vault', pattern: 0,
    hosts: { 'aio-1': {}, 'lb-1': {} },
    roles: { 'all-in-one': ['aio-1'], 'load-balancer': ['lb-1'] },
    vars: {
      ...baseVars({ type: 'h2' }),
      truststore: ['corp-ca.crt'],
      keystores: { primary: { file: 'aio.jks', alias: 'aio', password: '${AIO_KS_PASSWORD}' } },
      secure_vault: true,
    },
    secrets: { AIO_KS_PASSWORD: KS_PASSWORD, ADMIN_PASSWORD },
  });
  const validate = await runCli(['validate', '-i', files.inventory]);
  expect(validate.code, validate.stdout + validate.stderr).toBe(0);
  const provision = await provisionCli(files.inventory);
  expect(provision.code, failureSummary(provision)).toBe(0);
}, 900_000);

describe('secure vault on a lab pattern 0', () => {
  it('the node started healthy with every deployment.toml password a $secret{} and [secrets] last', async () => {
    const toml = await lab.sh('aio-1', `cat ${HOME}/repository/conf/deployment.toml`);
    expect(toml).toContain('password = "$secret{super_admin_password}"');
    expect(toml).toContain('password = "$secret{keystore_primary_password}"');
    expect(toml.trimEnd().split('\n').filter((l) => l.startsWith('[')).at(-1)).toBe('[secrets]');
    const log = await lab.sh('aio-1', `cat ${HOME}/repository/logs/wso2carbon.log`);
    expect(log).toMatch(/secure vault: \d+ secret\(s\) decrypted with aio of apim-deploy-primary\.jks \(password from password-tmp\)/);
    const status = await runCli(['status', '-i', files.inventory, '--json']);
    expect(status.code, status.stdout + status.stderr).toBe(0);
  }, 120_000);

  it('no file under /opt, /etc, the service user\'s home or /tmp holds a plain password, and password-tmp is gone', async () => {
    const found = await lab.sh('aio-1', [
      'home=$(getent passwd wso2carbon | cut -d: -f6)',
      `grep -rlF -e '${ADMIN_PASSWORD}' -e '${KS_PASSWORD}' /opt /etc "$home" /tmp 2>/dev/null || true`,
    ].join('; '));
    expect(found.trim()).toBe('');
    expect((await lab.sh('aio-1', `ls -A ${HOME}/ | grep -x -e password-tmp -e password-persist || true`)).trim()).toBe('');
    // The truststore password reaches the internal-CA import on stdin: no truststore.env (or other env file) holds it.
    expect((await lab.sh('aio-1', 'ls /opt/wso2/all-in-one/')).split('\n')).not.toContain('truststore.env');
    expect(await lab.sh('aio-1', 'keytool=/opt/wso2/jdk/current/bin/keytool; $keytool -list -keystore /opt/wso2/all-in-one/current/repository/resources/security/client-truststore.jks -storepass wso2carbon'))
      .toContain('apim-deploy-ca');
  }, 120_000);

  it('a second provision changes nothing (the controller reuses the ciphertexts it wrote)', async () => {
    const again = await provisionCli(files.inventory);
    expect(again.code, failureSummary(again)).toBe(0);
    expect(changedCount(again.events)).toBe(0);
  }, 600_000);

  it('status names a node started without apim-deploy (no password-tmp) as waiting for its vault password; provision brings it back', async () => {
    const pid = `${HOME}/wso2carbon.pid`;
    await lab.sh('aio-1', `kill $(cat ${pid})`);
    await waitFor('the node to stop', async () => (await lab.exec('aio-1', ['sh', '-c', `kill -0 $(cat ${pid}) 2>/dev/null`])).code !== 0, { timeoutMs: 120_000, intervalMs: 500 });
    // A start apim-deploy does not perform, as systemd's would be at boot: the start script with no password file.
    await lab.sh('aio-1', `runuser -u wso2carbon -- sh -c 'set -a; . /opt/wso2/all-in-one/wso2.env; ${HOME}/bin/api-manager.sh start' || true`);
    await waitFor('the node to give up without a keystore password', async () =>
      (await lab.sh('aio-1', `cat ${HOME}/repository/logs/wso2carbon.log`)).includes('no password-tmp or password-persist'), { timeoutMs: 120_000, intervalMs: 500 });
    const status = await runCli(['status', '-i', files.inventory]);
    expect(status.code).not.toBe(0);
    expect(status.stdout).toContain('VAULT PASSWORD: secure vault is on and its home holds neither password-tmp nor password-persist');
    const back = await provisionCli(files.inventory);
    expect(back.code, failureSummary(back)).toBe(0);
    expect((await runCli(['status', '-i', files.inventory])).code).toBe(0);
  }, 600_000);
});
