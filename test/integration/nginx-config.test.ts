import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoleCatalog } from '../../src/catalog/roles.js';
import { renderNode } from '../../src/render/render-inventory.js';
import { buildNodeContexts } from '../../src/topology/context.js';
import { examplesWith, loadExample } from '../unit/render/examples.js';

/**
 * The balancer of this machine checks every rendered load balancer config: `nginx -t`, or `haproxy -c` for HAProxy.
 * Needs nginx, haproxy and openssl.
 */
describe.each(await examplesWith('load-balancer'))('the balancer accepts the load balancer config of %s', (name) => {
  it('parses and loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-nginx-'));
    try {
      const cert = join(dir, 'tls.crt');
      const key = join(dir, 'tls.key');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
      copyFileSync(key, `${cert}.key`); // HAProxy finds the key beside the certificate
      const catalog = loadRoleCatalog();
      const lbs = buildNodeContexts(await loadExample(name), catalog).filter((c) => c.role === 'load-balancer');
      expect(lbs.length).toBeGreaterThan(0);
      for (const ctx of lbs) {
        // Same context, certificate paths pointed at the throwaway pair (the real ones exist only on the host).
        const local = { ...ctx, loadBalancer: { ...ctx.loadBalancer!, tls: { certificate: cert, key } } };
        const file = renderNode(catalog['load-balancer'], local).files[0]!;
        const path = join(dir, `${ctx.host}.conf`);
        if (file.path.endsWith('haproxy.cfg')) {
          writeFileSync(path, file.content.replaceAll('/etc/haproxy/apim-deploy-tls.crt', cert).replace('/run/haproxy/admin.sock', join(dir, 'admin.sock'))
            .replace('/var/lib/haproxy/server-state', join(dir, 'server-state')));
          const r = spawnSync('haproxy', ['-c', '-q', '-f', path], { encoding: 'utf8' });
          expect(r.stderr.replace(/^.*Can't open global server state file.*\n/m, '').replace(/^Warnings were found\.\n/m, ''), file.content).toBe('');
          expect(r.status).toBe(0);
          continue;
        }
        writeFileSync(path, file.content.replace('pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`).replace(/\/var\/log\/nginx\//g, `${dir}/`));
        const r = spawnSync('nginx', ['-t', '-q', '-c', path, '-p', dir], { encoding: 'utf8' });
        expect(r.stderr, file.content).toBe('');
        expect(r.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
