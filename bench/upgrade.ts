/**
 * Rolling upgrade figures (prints numbers, asserts nothing): pattern 3 (1 control plane, 1 traffic manager, nginx,
 * PostgreSQL) with 3 and with 6 gateways, provisioned at 4.6.0 then upgraded to 4.6.0 update level 12 (`lab dist
 * --update-level 12`: a change of version goes through `migrate`, not `upgrade`) while 4 loops send GET /echo
 * through nginx. Prints total upgrade time, requests served and failed during it, and each batch's time out of the
 * load balancer. Then the same for `provision --rolling` of a config change (every gateway's heap).
 * Run as root: `npx tsx bench/upgrade.ts`. Uses lab `b-upg` on 10.213.232.0/24.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildDistributions } from '../src/lab/dist/build.js';
import { clientKeyPath, knownHostsPath, labDown, labUp } from '../src/lab/hosts/index.js';
import { provision } from '../src/workflows/provision.js';
import { provisionRolling } from '../src/workflows/provision-rolling.js';
import type { Rollout } from '../src/workflows/rollout/roll-windows.js';
import { upgrade } from '../src/workflows/upgrade.js';
import { startLoad } from '../test/integration/support/load.js';
import { BENCH_SECRETS } from './provision.js';

const LAB = { name: 'b-upg', projectRoot: process.cwd() } as const;
const SUBNET = '10.213.232.0/24';

/** `level`: the WSO2 Updates level of the packs (0: as released), carried by their zip names. */
function inventory(dir: string, gateways: string[], addr: (h: string) => string, level: number, jvmHeap = '256m'): string {
  const version = '4.6.0';
  const dist = (f: string) => ({ path: join(dir, 'dist', level > 0 ? f.replace(/\.zip$/, `.${level}.zip`) : f) });
  const hosts = ['cp-1', 'tm-1', ...gateways, 'lb-1', 'db-1'];
  const doc = {
    name: 'bench', pattern: 3,
    apim: { version, distributions: { acp: dist('wso2am-acp-{version}.zip'), 'universal-gw': dist('wso2am-universal-gw-{version}.zip'), tm: dist('wso2am-tm-{version}.zip') }, jdk: dist('jdk-17.tar.gz') },
    defaults: { user: 'root', port: 22, ssh_key: clientKeyPath(LAB), known_hosts: knownHostsPath(LAB) },
    vars: { admin_password: '${ADMIN_PASSWORD}', keystore_password: '${KEYSTORE_PASSWORD}', truststore_password: '${TRUSTSTORE_PASSWORD}',
      database: { type: 'postgresql', host: 'db-1', user: 'apimadmin', password: '${DB_PASSWORD}' }, jvm_heap: jvmHeap },
    hosts: Object.fromEntries(hosts.map((h) => [h, { address: addr(h) }])),
    roles: { 'control-plane': ['cp-1'], 'traffic-manager': ['tm-1'], gateway: gateways, 'load-balancer': ['lb-1'], database: ['db-1'] },
  };
  const file = join(dir, 'bench.yaml');
  writeFileSync(file, stringify(doc));
  writeFileSync(join(dir, 'bench.env'), BENCH_SECRETS, { mode: 0o600 });
  return file;
}

async function once(count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upg-'));
  const gateways = Array.from({ length: count }, (_, i) => `gw-${i + 1}`);
  try {
    await buildDistributions({ version: '4.6.0', outDir: join(dir, 'dist') });
    await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: join(dir, 'dist') });
    await labDown(LAB);
    const state = await labUp({ ...LAB, names: ['cp-1', 'tm-1', ...gateways, 'lb-1', 'db-1'], subnet: SUBNET });
    const addr = (h: string) => state.hosts.find((x) => x.name === h)!.address;
    const prov = await provision({ inventory: inventory(dir, gateways, addr, 0) });
    if (prov.exitCode !== 0) throw new Error(`provision at 4.6.0 failed (exit ${prov.exitCode})`);
    const inv = inventory(dir, gateways, addr, 12);
    const load = startLoad(`http://${addr('lb-1')}:8280/echo`);
    const started = performance.now();
    const result = await upgrade({ inventory: inv, healthTimeoutMs: 60_000 });
    const totalMs = performance.now() - started;
    const report = await load.stop();
    print(`${count} gateways: upgrade 4.6.0 → 4.6.0 update level 12 exit ${result.exitCode}`, totalMs, report, result.rollout);

    const restartLoad = startLoad(`http://${addr('lb-1')}:8280/echo`);
    const restartStarted = performance.now();
    const rolling = await provisionRolling({ inventory: inventory(dir, gateways, addr, 12, '320m'), healthTimeoutMs: 60_000 });
    const restartMs = performance.now() - restartStarted;
    print(`${count} gateways: provision --rolling (jvm_heap 256m → 320m, every node) exit ${rolling.exitCode}`, restartMs, await restartLoad.stop(), rolling.rollout);
  } finally {
    await labDown(LAB);
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(what: string, ms: number, report: Awaited<ReturnType<ReturnType<typeof startLoad>['stop']>>, rollout: Rollout | null): void {
  console.log(`\n${what} in ${(ms / 1000).toFixed(1)} s; requests served ${report.served}, failed ${report.failed}` +
    `${report.failures.length ? ` (${report.failures.slice(0, 3).join('; ')})` : ''}`);
  for (const b of rollout?.batches ?? []) {
    console.log(`  ${b.label.padEnd(28)} ${b.nodes.map((n) => n.host).join(',').padEnd(8)} out of service ${(b.outOfServiceMs / 1000).toFixed(2)} s`);
  }
}

for (const n of [3, 6]) await once(n);
