import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliTimeout } from '../cli/run-cli.js';
import { REPO } from './examples.js';

describe('apim-deploy render', { timeout: cliTimeout(1) }, () => {
  it('writes DIR/<host>/<remote path> with host modes and secrets in place, and prints no secret', () => {
    const out = mkdtempSync(join(tmpdir(), 'apim-render-'));
    // The lab example without its secure_vault line, beside its own internal CA: what it renders is shown in clear here
    // (the vault needs the pack keystore out of ../dist, which unit tests do not build; lab-vault.test.ts covers it).
    const dir = mkdtempSync(join(tmpdir(), 'apim-render-inv-'));
    const inventory = join(dir, 'lab.yaml');
    writeFileSync(inventory, readFileSync(join(REPO, 'inventories/lab.yaml'), 'utf8').replace(/^  secure_vault: true\n/m, ''));
    const r = spawnSync(
      join(REPO, 'bin/apim-deploy'),
      ['render', '-i', inventory, '--env-file', 'inventories/lab.env.example', '--out-dir', out],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    // 16 config files, plus the internal CA on the 6 WSO2 nodes and the balancer's certificate and key.
    expect(r.stdout).toContain('24 file(s) for 8 host(s)');
    const secrets = readFileSync(join(REPO, 'inventories/lab.env.example'), 'utf8').match(/^\w+=(.*)$/gm)!.map((l) => l.split('=')[1]!);
    for (const s of secrets.filter((v) => v !== 'wso2carbon')) expect(r.stdout + r.stderr).not.toContain(s);
    const toml = join(out, 'gw-1/opt/wso2/gateway/current/repository/conf/deployment.toml');
    expect(statSync(toml).mode & 0o777).toBe(0o600);
    expect(readFileSync(toml, 'utf8')).toContain('password = "lab-Admin-pw1"');
    // inventories/lab.yaml runs HAProxy: its config, and the internal CA's certificate and key beside it.
    expect(statSync(join(out, 'lb-1/etc/haproxy/haproxy.cfg')).mode & 0o777).toBe(0o644);
    expect(statSync(join(out, 'lb-1/etc/haproxy/apim-deploy-tls.crt.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'lb-1/etc/haproxy/haproxy.cfg'), 'utf8')).toContain('ssl crt /etc/haproxy/apim-deploy-tls.crt');
    expect(readFileSync(join(out, 'gw-1/opt/wso2/gateway/current/repository/resources/security/apim-deploy-ca.pem'), 'utf8'))
      .toBe(readFileSync(join(dir, '.apim-deploy/lab/pki/ca.crt'), 'utf8'));
  });

  it('exits 3 with the position of an inventory problem (a secret missing from the dotenv file)', () => {
    const env = join(mkdtempSync(join(tmpdir(), 'apim-env-')), 'empty.env');
    writeFileSync(env, 'ADMIN_PASSWORD=x\n');
    const r = spawnSync(join(REPO, 'bin/apim-deploy'), ['render', '-i', 'inventories/lab.yaml', '--env-file', env, '--out-dir', tmpdir()], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/lab\.yaml:\d+:\d+: .*DB_PASSWORD/);
  });
});
