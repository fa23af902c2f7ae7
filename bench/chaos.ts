/**
 * Chaos benchmark (prints figures, asserts nothing): pattern 3 behind HAProxy on lab hosts, N rolling upgrades and
 * rollbacks back to back through the real CLI under keep-alive and POST traffic, each with one fault picked by a
 * seeded random generator: a gateway's link down in its window, the controller SIGKILLed mid-window, a gateway's disk
 * full while staging, the database stopped in a control plane's window. After a faulty run the fault is undone and
 * the repair status prints (`upgrade -i INV` to the run's target) runs until it succeeds. Prints each run, then the
 * requests sent/failed, POSTs not delivered exactly once, and nodes left drained or on a mixed version (0 expected).
 * `npm run bench:chaos [-- --runs N --seed S]`. Uses lab `b-chaos` on 10.213.238.0/24. Root.
 */
import { execFileSync } from 'node:child_process';
import { buildDistributions } from '../src/lab/dist/build.js';
import { baseVars, makeWorkspace, postgres, provisionCli, startLab, writeDeployment, type DeploymentSpec } from '../test/integration/support/index.js';
import { startCli, type TimedEvent, type TimedRun } from '../test/integration/support/timed-cli.js';
import { currentVersions, haproxyHeldOut, postDeliveries } from '../test/integration/support/rollout-state.js';
import { exactlyOnce, formatTraffic, startTraffic } from '../test/integration/support/traffic.js';
// The seeded generator the hostile-input tests use, so a run of the bench can be repeated fault for fault.
import { rng } from '../test/unit/hostile/hostile-strings.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'gw-1', 'gw-2', 'gw-3', 'lb-1', 'db-1'];
const GATEWAYS = ['gw-1', 'gw-2', 'gw-3'];
const WSO2 = ['cp-1/control-plane', 'cp-2/control-plane', 'tm-1/traffic-manager', 'gw-1/gateway', 'gw-2/gateway', 'gw-3/gateway'];
const FAULTS = ['link-down', 'sigkill', 'disk-full', 'db-stop'] as const;
type Fault = (typeof FAULTS)[number];

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 6);
const SEED = arg('seed', 14);

const spec = (version: string): DeploymentSpec => ({
  name: 'chaos', pattern: 3, version,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1'], gateway: GATEWAYS, 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: { ...baseVars(postgres('db-1')), load_balancer: 'haproxy' },
});

interface RunRecord {
  readonly n: number;
  readonly command: string;
  readonly fault: string;
  readonly code: number | null;
  readonly repairs: readonly (number | null)[];
  readonly seconds: number;
  readonly note: string;
}

async function main(): Promise<void> {
  const random = rng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Update-level rolls (4.6.0 ↔ 4.6.0.12): a change of version goes through `migrate`, not `upgrade`.
  const ws = await makeWorkspace('bench-chaos', { version: '4.6.0' });
  await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: ws.distDir });
  const lab = await startLab({ name: 'b-chaos', names: HOSTS, subnet: '10.213.238.0/24' });
  const veth = (h: string) => lab.state.hosts.find((x) => x.name === h)!.veth;
  try {
    await lab.sh('gw-3', 'mount -t tmpfs -o size=300m tmpfs /opt');
    const inv = (v: string) => writeDeployment(spec(v), lab, ws).inventory;
    const prov = await provisionCli(inv('4.6.0'));
    if (prov.code !== 0) throw new Error(`provision failed (${prov.code}): ${prov.stderr}`);
    const traffic = startTraffic(lab.address('lb-1'), { portalUsers: 0 });
    const records: RunRecord[] = [];
    let at = '4.6.0';
    for (let n = 1; n <= RUNS; n++) {
      const target = at === '4.6.0' ? '4.6.0.12' : '4.6.0';
      const command = target === '4.6.0.12' ? 'upgrade' : 'rollback';
      const fault: Fault = pick(command === 'rollback' ? FAULTS.filter((f) => f !== 'disk-full') : FAULTS);
      const victim = pick(['gw-1', 'gw-2', 'gw-3']);
      const cp = pick(['cp-1', 'cp-2']);
      let note = '';
      const started = Date.now();
      const onEvent = (e: TimedEvent, run: TimedRun) => {
        const stepStart = (kind: string, host: string) => e.type === 'step-start' && e.kind === kind && e.host === host;
        if (fault === 'link-down' && !note && stepStart('stop-component', victim)) {
          note = `${victim} link down at its stop`;
          execFileSync('ip', ['link', 'set', veth(victim), 'down']);
        }
        if (fault === 'sigkill' && !note && e.type === 'step-end' && e.kind === 'stop-component' && e.host === victim) {
          note = `SIGKILL after ${victim} stopped`;
          run.child.kill('SIGKILL');
        }
        if (fault === 'disk-full' && !note && e.type === 'wave-start' && e.index === 0) {
          note = 'gw-3 /opt filled while staging';
          void lab.sh('gw-3', 'avail=$(df -B1 --output=avail /opt | tail -1); fallocate -l $((avail - 32768)) /opt/chaos-fill');
        }
        if (fault === 'db-stop' && !note && stepStart('stop-component', cp)) {
          note = `database stopped in ${cp}'s window`;
          void lab.sh('db-1', 'pg_ctlcluster 15 main stop -m fast');
        }
        if (fault === 'db-stop' && note && e.type === 'wave-start' && e.label.endsWith(': roll back')) void lab.sh('db-1', 'pg_ctlcluster 15 main start');
      };
      const args = [command, '-i', inv(target), '--json', '--health-timeout', fault === 'db-stop' ? '20' : '90'];
      const done = await startCli(args, onEvent).done;
      // Undo the fault, then repair with what status prints: an upgrade to the run's target (it finishes leftovers first).
      execFileSync('ip', ['link', 'set', veth(victim), 'up']);
      await lab.sh('gw-3', 'rm -f /opt/chaos-fill');
      await lab.sh('db-1', 'pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start');
      const repairs: (number | null)[] = [];
      while (done.code !== 0 && (repairs.length === 0 || repairs.at(-1) !== 0) && repairs.length < 3) {
        repairs.push((await startCli(['upgrade', '-i', inv(target), '--json', '--health-timeout', '90']).done).code);
      }
      records.push({ n, command, fault, code: done.code ?? null, repairs, seconds: Math.round((Date.now() - started) / 1000), note: note || 'fault not reached' });
      console.log(`run ${n}: ${command} → ${target}, ${fault}: exit ${done.code ?? done.signal}${repairs.length ? `, repair exit ${repairs.join(', ')}` : ''} (${note || 'fault not reached'}), ${records.at(-1)!.seconds} s`);
      at = target;
    }
    const report = await traffic.stop();
    const delivered = await postDeliveries(lab, GATEWAYS);
    const v = Object.values(await currentVersions(lab, WSO2));
    const drained = await haproxyHeldOut(lab, 'lb-1');
    console.log(`\nchaos: ${RUNS} runs, seed ${SEED}; faults ${FAULTS.map((f) => `${f} ${records.filter((r) => r.fault === f).length}`).join(', ')}`);
    console.log(`runs that needed a repair: ${records.filter((r) => r.repairs.length > 0).length}; repairs that failed: ${records.filter((r) => r.repairs.length > 0 && r.repairs.at(-1) !== 0).length}`);
    for (const line of formatTraffic(report)) console.log(`  ${line}`);
    const posts = exactlyOnce(report, delivered);
    console.log(`POSTs not delivered exactly once: ${posts.length}${posts.length ? ` (${posts.slice(0, 3).join('; ')})` : ''}`);
    console.log(`at the end: nodes left drained ${drained.length}${drained.length ? ` (${drained.join(', ')})` : ''}; nodes not on ${at}: ${v.filter((x) => x !== at).length} (${WSO2.map((n, i) => `${n.split('/')[0]} ${v[i]}`).join(', ')})`);
  } finally {
    for (const h of GATEWAYS) execFileSync('ip', ['link', 'set', veth(h), 'up']);
    await lab.down();
    ws.cleanup();
  }
}

await main();
