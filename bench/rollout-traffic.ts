/**
 * Rollouts under real client traffic (prints figures, asserts nothing): pattern 3 (2 control planes, 1 traffic
 * manager, 3 gateways, a balancer, PostgreSQL) provisioned at 4.6.0, then `upgrade` to 4.6.0 update level 12, `rollback`
 * to 4.6.0
 * and `provision --rolling` (a heap change) while every client kind of test/integration/support/traffic.ts runs:
 * GET/POST over keep-alive and fresh connections on 8280 and 8243, 5 s requests in flight, sticky portal users.
 * Per command: requests sent/failed per client kind, POSTs delivered other than once, portal sessions lost by users
 * whose node stayed in, and each node's time out of the balancer.
 * `npm run bench:rollout [-- nginx|haproxy ...]` (default: both). Uses lab `b-roll` on 10.213.233.0/24. Root.
 */
import { buildDistributions } from '../src/lab/dist/build.js';
import { labDown } from '../src/lab/hosts/index.js';
import type { Rollout } from '../src/workflows/rollout/roll-windows.js';
import { provision } from '../src/workflows/provision.js';
import { provisionRolling } from '../src/workflows/provision-rolling.js';
import { rollback } from '../src/workflows/rollback.js';
import { upgrade } from '../src/workflows/upgrade.js';
import { makeWorkspace, REPO_ROOT, startLab, writeDeployment, baseVars, postgres, type DeploymentSpec } from '../test/integration/support/index.js';
import { postDeliveries } from '../test/integration/support/rollout-state.js';
import { exactlyOnce, formatTraffic, startTraffic, type TrafficReport } from '../test/integration/support/traffic.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'gw-1', 'gw-2', 'gw-3', 'lb-1', 'db-1'];
const GATEWAYS = ['gw-1', 'gw-2', 'gw-3'];
const LAB = { name: 'b-roll', names: HOSTS, subnet: '10.213.233.0/24' };

const spec = (balancer: string, version: string, heap = '256m'): DeploymentSpec => ({
  name: 'bench-roll', pattern: 3, version,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1'], gateway: GATEWAYS, 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: { ...baseVars(postgres('db-1')), jvm_heap: heap, ...(balancer === 'nginx' ? {} : { load_balancer: balancer }) },
});

async function once(balancer: string): Promise<void> {
  const ws = await makeWorkspace('bench-roll', { version: '4.6.0' });
  await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: ws.distDir });
  const lab = await startLab(LAB);
  try {
    const write = (version: string, heap?: string) => writeDeployment(spec(balancer, version, heap), lab, ws).inventory;
    const prov = await provision({ inventory: write('4.6.0') });
    if (prov.exitCode !== 0) throw new Error(`provision at 4.6.0 failed (exit ${prov.exitCode})`);
    const delivered = () => postDeliveries(lab, GATEWAYS);
    const measure = async (what: string, run: () => Promise<{ exitCode: number; rollout: Rollout | null }>) => {
      const before = await delivered();
      const traffic = startTraffic(lab.address('lb-1'));
      const started = performance.now();
      const result = await run();
      const ms = performance.now() - started;
      const report = await traffic.stop();
      const after = await delivered();
      const fresh = new Map([...after].filter(([id]) => !before.has(id)));
      print(`${balancer}: ${what} exit ${result.exitCode} in ${(ms / 1000).toFixed(1)} s`, report, exactlyOnce(report, fresh), result.rollout);
    };
    await measure('upgrade 4.6.0 → 4.6.0.12', () => upgrade({ inventory: write('4.6.0.12'), healthTimeoutMs: 120_000 }));
    await measure('rollback → 4.6.0', () => rollback({ inventory: write('4.6.0.12'), healthTimeoutMs: 120_000 }));
    await measure('provision --rolling (jvm_heap 256m → 320m)', () => provisionRolling({ inventory: write('4.6.0', '320m'), healthTimeoutMs: 120_000 }));
  } finally {
    await lab.down();
    ws.cleanup();
  }
}

function print(title: string, r: TrafficReport, posts: readonly string[], rollout: Rollout | null): void {
  console.log(`\n${title}`);
  for (const line of formatTraffic(r)) console.log(`  ${line}`);
  console.log(`  POSTs not delivered exactly once: ${posts.length}${posts.length ? ` (${posts.slice(0, 3).join('; ')})` : ''}`);
  console.log(`  portal sessions lost: ${r.sessionLosses.length} (${r.sessionLosses.map((l) => `user ${l.user} ${l.from}→${l.to}`).join(', ') || 'none'})`);
  for (const b of rollout?.batches ?? []) {
    console.log(`  ${b.label.padEnd(28)} ${b.nodes.map((n) => n.host).join(',').padEnd(8)} out of the balancer ${(b.outOfServiceMs / 1000).toFixed(2)} s`);
  }
}

const wanted = process.argv.slice(2).filter((a) => a === 'nginx' || a === 'haproxy');
try {
  for (const b of wanted.length > 0 ? wanted : ['nginx', 'haproxy']) await once(b);
} finally {
  await labDown({ name: LAB.name, projectRoot: REPO_ROOT });
}
