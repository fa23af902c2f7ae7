/**
 * Start-up figures (prints numbers, asserts nothing): the median wall time, and CPU time, of N runs of
 * `bin/apim-deploy --help` and of `validate` on a 10-host inventory (pattern 3: 2 control planes, 2 traffic managers,
 * 4 gateways, a balancer and a database, with the lab's simulated distributions), beside the targets of issue 13.
 * Also what the bundle is measured against: node doing nothing, the bundle without bin/'s staleness check, that
 * check alone, and the same commands through tsx (what a missing or stale bundle falls back to).
 * Builds the bundle first (scripts/build.mjs, timed). Needs no root and no lab: `npx tsx bench/startup.ts`;
 * BENCH_STARTUP_RUNS=N sets the runs per figure (default 11).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { BENCH_SECRETS } from './provision.js';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'bin/apim-deploy');
const BUNDLE = join(REPO, 'build/cli/main.mjs');
const TSX = join(REPO, 'node_modules/tsx/dist/esm/index.mjs');
const TARGETS = { help: 300, validate: 600 } as const;

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'gw-3', 'gw-4', 'lb-1', 'db-1'];

function inventoryYaml(dist: string): string {
  return [
    'name: bench-startup', 'pattern: 3', 'apim:', '  version: 4.6.0', '  distributions:',
    `    acp: { path: "${dist}/wso2am-acp-{version}.zip" }`,
    `    universal-gw: { path: "${dist}/wso2am-universal-gw-{version}.zip" }`,
    `    tm: { path: "${dist}/wso2am-tm-{version}.zip" }`,
    `  jdk: { path: "${dist}/jdk-17.tar.gz" }`,
    `  jdbc_driver: { path: "${dist}/jdbc-postgresql-sim.jar" }`,
    'defaults: { user: deploy, become: sudo, port: 22 }',
    'vars:',
    '  admin_password: ${ADMIN_PASSWORD}', '  keystore_password: ${KEYSTORE_PASSWORD}', '  truststore_password: ${TRUSTSTORE_PASSWORD}',
    '  database: { type: postgresql, host: db-1, user: apimadmin, password: "${DB_PASSWORD}" }',
    'hosts:',
    ...HOSTS.map((h, i) => `  ${h}: { address: 10.213.250.${11 + i} }`),
    'roles:',
    '  control-plane: [cp-1, cp-2]', '  traffic-manager: [tm-1, tm-2]', '  gateway: [gw-1, gw-2, gw-3, gw-4]',
    '  load-balancer: [lb-1]', '  database: [db-1]', '',
  ].join('\n');
}

/** CPU seconds of this process's reaped children (utime + stime of /proc/self/stat, in clock ticks of 10 ms). */
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime (fields 16 and 17 of the line)
}

interface Figure {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly exitCode: number | null;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `argv` `runs` times (after one unmeasured run that warms the page cache); medians of wall and CPU time. */
function measure(argv: readonly string[], runs: number): Figure {
  const once = () => {
    const cpu0 = childCpuMs();
    const t0 = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: tmpdir(), stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    return { wallMs: performance.now() - t0, cpuMs: childCpuMs() - cpu0, exitCode: r.status };
  };
  once();
  const all = Array.from({ length: runs }, once);
  return { wallMs: median(all.map((f) => f.wallMs)), cpuMs: median(all.map((f) => f.cpuMs)), exitCode: all[0]!.exitCode };
}

export async function benchStartup(runs = Number(process.env['BENCH_STARTUP_RUNS'] ?? 11)): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-startup-'));
  try {
    const t0 = performance.now();
    const build = spawnSync(process.execPath, [join(REPO, 'scripts/build.mjs')], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`scripts/build.mjs failed:\n${build.stderr}`);
    const buildMs = performance.now() - t0;
    const dist = join(work, 'dist');
    await buildDistributions({ version: '4.6.0', outDir: dist });
    const inventory = join(work, 'inventory.yaml');
    writeFileSync(inventory, inventoryYaml(dist));
    writeFileSync(join(work, 'inventory.env'), BENCH_SECRETS);
    const check = spawnSync(BIN, ['validate', '-i', inventory], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`validate of the bench inventory failed (exit ${check.status}):\n${check.stderr}`);

    const validate = ['validate', '-i', inventory];
    const rows: [string, Figure, number | undefined][] = [
      ['node -e 0 (the floor: node itself)', measure([process.execPath, '-e', '0'], runs), undefined],
      ['bin/apim-deploy --help', measure([BIN, '--help'], runs), TARGETS.help],
      [`bin/apim-deploy validate (${HOSTS.length} hosts)`, measure([BIN, ...validate], runs), TARGETS.validate],
      ['  bundle alone, no bin/ wrapper: --help', measure([process.execPath, BUNDLE, '--', '--help'], runs), undefined],
      ['  bin/\'s staleness check alone (find -newer)',
        measure(['find', join(REPO, 'src'), join(REPO, 'scripts/build.mjs'), join(REPO, 'node_modules/.package-lock.json'), '-newer', BUNDLE, '-print', '-quit'], runs), undefined],
      ['  through tsx (no bundle, or a stale one): --help', measure([process.execPath, '--import', TSX, join(REPO, 'src/cli/main.ts'), '--', '--help'], runs), undefined],
      ['  through tsx: validate', measure([process.execPath, '--import', TSX, join(REPO, 'src/cli/main.ts'), '--', ...validate], runs), undefined],
    ];
    console.log(`start-up: median of ${runs} runs each (wall / CPU of the process tree); bundle built in ${(buildMs / 1000).toFixed(1)} s; ` +
      `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (other work stretches wall time more than CPU time)`);
    for (const [label, f, target] of rows) {
      const verdict = target === undefined ? '' : `   target <= ${target} ms: ${f.wallMs <= target ? 'met' : 'NOT met'}`;
      const exit = f.exitCode === 0 ? '' : `   (exit ${f.exitCode})`;
      console.log(`  ${label.padEnd(52)} ${f.wallMs.toFixed(0).padStart(6)} ms wall ${f.cpuMs.toFixed(0).padStart(6)} ms CPU${verdict}${exit}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStartup();
