import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoleCatalog } from '../../src/catalog/roles.js';
import { renderNode } from '../../src/render/render-inventory.js';
import { buildNodeContexts } from '../../src/topology/context.js';
import { examplesWith, loadExample } from '../unit/render/examples.js';

/** The real nginx of this machine checks every rendered load balancer config (`nginx -t`): needs nginx and openssl. */
describe.each(await examplesWith('load-balancer'))('nginx -t accepts the load balancer config of %s', (name) => {
  it('parses and loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-nginx-'));
    try {
      const cert = join(dir, 'tls.crt');
      const key = join(dir, 'tls.key');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
      const catalog = loadRoleCatalog();
      const lbs = buildNodeContexts(await loadExample(name), catalog).filter((c) => c.role === 'load-balancer');
      expect(lbs.length).toBeGreaterThan(0);
      for (const ctx of lbs) {
        // Same context, certificate paths pointed at the throwaway pair (the real ones exist only on the host).
        const local = { ...ctx, loadBalancer: { ...ctx.loadBalancer!, tls: { certificate: cert, key } } };
        const conf = renderNode(catalog['load-balancer'], local).files[0]!.content
          .replace('pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`)
          .replace(/\/var\/log\/nginx\//g, `${dir}/`);
        const file = join(dir, `${ctx.host}.conf`);
        writeFileSync(file, conf);
        const r = spawnSync('nginx', ['-t', '-q', '-c', file, '-p', dir], { encoding: 'utf8' });
        expect(r.stderr, conf).toBe('');
        expect(r.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
