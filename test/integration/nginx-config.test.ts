import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoleCatalog, TEMPLATES_DIR as TEMPLATES } from '../../src/catalog/roles.js';
import type { Inventory } from '../../src/model/inventory.js';
import { renderNode } from '../../src/render/render-inventory.js';
import { buildNodeContexts } from '../../src/topology/context.js';
import { examplesWith, loadExample } from '../unit/render/examples.js';

/**
 * The balancer of this machine checks every rendered load balancer config: `nginx -t`, or `haproxy -c` for HAProxy.
 * Needs nginx, haproxy and openssl.
 */
/** Renders every balancer of `inv` against a throwaway certificate and has the balancer of this machine check it. */
async function expectAccepted(inv: Inventory, opts: { readOnlyWindow?: boolean } = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'apim-nginx-'));
  try {
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    copyFileSync(key, `${cert}.key`); // HAProxy finds the key beside the certificate
    // migrate --read-only-window: the rule file nginx.conf includes while it exists, as the role writes it.
    const windowDir = join(dir, 'window');
    mkdirSync(windowDir);
    // HAProxy's window is a map haproxy.cfg loads at every start (role.yaml `present` keeps one, empty when open).
    const windowMap = join(dir, 'apim-deploy-window.map');
    writeFileSync(windowMap, '');
    if (opts.readOnlyWindow) {
      const rule = readFileSync(join(TEMPLATES, 'load-balancer/read-only-window.nginx.conf'), 'utf8');
      writeFileSync(join(windowDir, 'read-only.conf'), rule.replaceAll('/etc/nginx/apim-deploy-window/', `${windowDir}/`));
      writeFileSync(windowMap, readFileSync(join(TEMPLATES, 'load-balancer/read-only-window.haproxy.map'), 'utf8'));
    }
    const catalog = loadRoleCatalog();
    const lbs = buildNodeContexts(inv, catalog).filter((c) => c.role === 'load-balancer');
    expect(lbs.length).toBeGreaterThan(0);
    for (const ctx of lbs) {
      // Same context, certificate paths pointed at the throwaway pair (the real ones exist only on the host).
      const local = { ...ctx, loadBalancer: { ...ctx.loadBalancer!, tls: { certificate: cert, key } } };
      const file = renderNode(catalog['load-balancer'], local).files[0]!;
      const path = join(dir, `${ctx.host}.conf`);
      if (file.path.endsWith('haproxy.cfg')) {
        writeFileSync(path, file.content.replaceAll('/etc/haproxy/apim-deploy-tls.crt', cert).replace('/run/haproxy/admin.sock', join(dir, 'admin.sock'))
          .replace('/var/lib/haproxy/server-state', join(dir, 'server-state')).replaceAll('/etc/haproxy/apim-deploy-window.map', windowMap));
        const r = spawnSync('haproxy', ['-c', '-q', '-f', path], { encoding: 'utf8' });
        expect(r.stderr.replace(/^.*Can't open global server state file.*\n/m, '').replace(/^Warnings were found\.\n/m, ''), file.content).toBe('');
        expect(r.status).toBe(0);
        continue;
      }
      writeFileSync(path, file.content.replace('pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`).replace(/\/var\/log\/nginx\//g, `${dir}/`)
        .replaceAll('/etc/nginx/apim-deploy-window/', `${windowDir}/`));
      const r = spawnSync('nginx', ['-t', '-q', '-c', path, '-p', dir], { encoding: 'utf8' });
      expect(r.stderr, file.content).toBe('');
      expect(r.status).toBe(0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(await examplesWith('load-balancer'))('the balancer accepts the load balancer config of %s', (name) => {
  it('parses and loads', async () => {
    await expectAccepted(await loadExample(name));
  });
});

describe('the balancer accepts the config of a migration (green partners named)', () => {
  const withGreen = async (load_balancer: 'nginx' | 'haproxy', traffic?: Inventory['traffic']): Promise<Inventory> => {
    const inv = await loadExample('pattern-2');
    const green = ['apim-1', 'apim-2', 'gw-1', 'gw-2'].map((blue, i) => ({ blue, name: `${blue}-green`, address: `10.30.9.${11 + i}`, pos: { file: inv.file, line: 1, col: 1 } }));
    return { ...inv, green, nodes: inv.nodes.map((n) => ({ ...n, vars: { ...n.vars, load_balancer } })), ...(traffic ? { traffic } : {}) };
  };
  it('nginx: both sides\' groups picked per request by the switch flag, with the read-only window rule included', async () => {
    const inv = await withGreen('nginx');
    expect(buildNodeContexts(inv, loadRoleCatalog()).find((c) => c.role === 'load-balancer')!.loadBalancer!.switchFlag).toBe('/etc/nginx/apim-deploy-clients-on-green');
    await expectAccepted(inv, { readOnlyWindow: true });
    await expectAccepted(await withGreen('nginx', 'green'));
  });
  it('HAProxy: both sides in each backend, one disabled, before and after the switch, with the read-only window\'s map open or holding it', async () => {
    await expectAccepted(await withGreen('haproxy'));
    await expectAccepted(await withGreen('haproxy'), { readOnlyWindow: true });
    await expectAccepted(await withGreen('haproxy', 'green'));
  });
});
