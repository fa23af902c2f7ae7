/**
 * Upload throughput (prints numbers, asserts nothing): one lab host (lab `bench-upl`, 10.213.192.0/24), one
 * incompressible file (BENCH_UPLOAD_MB, default 300 MB), sent over the same lab link by plain OpenSSH (`scp`, `sftp`,
 * `ssh cat >`) and by our transport's putFile (deploy directly, and deploy + sudo into a root-only directory), each
 * followed by the remote sha256sum the upload step runs, then BENCH_UPLOAD_PARALLEL (4) copies at once over as many
 * connections, `scp` against putFile. Prints MB/s, the client CPU (ours: this process; OpenSSH: the client and its
 * children), and the load average beside every figure. Run as root: `npx tsx bench/upload.ts` (or `npm run bench:upload`).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clientKeyPath, knownHostsPath, labDown, labUp } from '../src/lab/hosts/index.js';
import type { HostSpec } from '../src/model/inventory.js';
import { withBecome } from '../src/transport/become.js';
import { connectSsh, endpointOfHost } from '../src/transport/ssh.js';
import type { Transport } from '../src/transport/transport.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-upl', projectRoot: REPO } as const;
const SUBNET = process.env['BENCH_UPLOAD_SUBNET'] ?? '10.213.192.0/24';
const MB = Number(process.env['BENCH_UPLOAD_MB'] ?? 300);
const ROUNDS = Number(process.env['BENCH_UPLOAD_ROUNDS'] ?? 1);
const PARALLEL = Number(process.env['BENCH_UPLOAD_PARALLEL'] ?? 4);

/** `ssh`/`scp`/`sftp` under bash's `time`: the CPU seconds of the client and its children, from stderr's last line. */
async function timedClient(script: string, input?: string): Promise<number> {
  const err = await run('bash', ['-c', `TIMEFORMAT='cpu %U %S'; time { ${script} ; } 2>/dev/null`], input, true);
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(err);
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
}

function run(cmd: string, args: readonly string[], input?: string, wantStderr = false): Promise<string> {
  return new Promise((done, fail) => {
    const child = execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, out, stderr) =>
      (err ? fail(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : done(wantStderr ? stderr : out)));
    if (input !== undefined) child.stdin!.end(input);
  });
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** An incompressible file of `mb` MiB and its sha256. */
function makeFile(path: string, mb: number): string {
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  for (let i = 0; i < mb; i++) {
    const chunk = randomBytes(1024 * 1024);
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return hash.digest('hex');
}

interface Figure { readonly label: string; readonly ms: number; readonly cpuMs: number; readonly load: string; readonly copies?: number }

async function measure(label: string, work: () => Promise<unknown>): Promise<Figure> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { label, ms, cpuMs: (cpu.user + cpu.system) / 1000, load: load() };
}

function line(f: Figure): string {
  const mbs = ((f.copies ?? 1) * MB / (f.ms / 1000)).toFixed(1);
  return `  ${f.label.padEnd(48)} ${`${(f.ms / 1000).toFixed(2)} s`.padStart(9)} ${`${mbs} MB/s`.padStart(12)}` +
    `  client CPU ${(f.cpuMs / 1000).toFixed(2)} s  (load ${f.load})`;
}

export async function benchUpload(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-upl-'));
  const file = join(work, 'payload.bin');
  try {
    const sha = makeFile(file, MB);
    await labDown(LAB);
    const state = await labUp({ ...LAB, names: ['up-1'], subnet: SUBNET });
    const address = state.hosts[0]!.address;
    const base = { name: 'up-1', address, connection: 'ssh', port: 22, user: 'deploy', sshKey: clientKeyPath(LAB), knownHosts: knownHostsPath(LAB), roles: [], pos: { line: 1, col: 1 } } as unknown as HostSpec;
    const opts = ['-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHostsPath(LAB)}`, '-i', clientKeyPath(LAB)];
    const login = `deploy@${address}`;
    const ssh = (script: string) => run('ssh', [...opts, login, script]);
    const remoteSha = async (path: string, sudo = false) => {
      const got = (await ssh(`${sudo ? 'sudo -n ' : ''}sha256sum -- ${path}`)).split(' ')[0];
      if (got !== sha) throw new Error(`${path}: sha256 ${got}, expected ${sha}`);
    };
    /** An OpenSSH client's copy, then the remote sha256sum; CPU = the client process and its children. */
    const client = async (label: string, script: string, dest: string, input?: string): Promise<Figure> => {
      let cpuMs = NaN;
      const f = await measure(label, async () => {
        cpuMs = await timedClient(script, input);
        await remoteSha(dest);
      });
      return { ...f, cpuMs };
    };
    await ssh('sudo -n mkdir -p /opt/upl && sudo -n chmod 755 /opt/upl && rm -f /tmp/upl-*');

    console.log(`upload throughput: one ${MB} MB incompressible file to one lab host (lab ${LAB.name}, ${SUBNET}), each copy + remote sha256sum; load average ${load()}`);
    const figures: Figure[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const tag = ROUNDS > 1 ? ` #${round}` : '';
      const q = (args: readonly string[]) => args.map((a) => `'${a}'`).join(' ');
      figures.push(await client(`scp${tag}`, `scp ${q(opts)} -q '${file}' '${login}:/tmp/upl-scp'`, '/tmp/upl-scp'));
      figures.push(await client(`sftp put${tag}`, `sftp ${q(opts)} -q -b - '${login}'`, '/tmp/upl-sftp', `put ${file} /tmp/upl-sftp\n`));
      figures.push(await client(`ssh cat >${tag}`, `ssh ${q(opts)} '${login}' 'cat > /tmp/upl-cat' < '${file}'`, '/tmp/upl-cat'));
      await ssh('rm -f /tmp/upl-*');

      const direct: Transport = await connectSsh(endpointOfHost(base), { acceptNewHostKeys: false });
      try {
        figures.push(await measure(`transport putFile, deploy direct${tag}`, async () => {
          await direct.putFile(file, '/tmp/upl-ours', { mode: '0644' });
          await remoteSha('/tmp/upl-ours');
        }));
      } finally {
        await direct.close();
      }
      const inner = await connectSsh(endpointOfHost(base), { acceptNewHostKeys: false });
      const become = await withBecome(inner, { method: 'sudo', user: 'root' }, 'deploy');
      try {
        figures.push(await measure(`transport putFile, deploy + sudo into /opt${tag}`, async () => {
          await become.putFile(file, '/opt/upl/ours', { mode: '0644', owner: 'root:root' });
          await remoteSha('/opt/upl/ours', true);
        }));
      } finally {
        await become.close();
      }
      await ssh('rm -f /tmp/upl-* && sudo -n rm -f /opt/upl/ours');

      // PARALLEL copies at once, each over its own connection (hosts in a run upload side by side).
      const each = Array.from({ length: PARALLEL }, (_, i) => i);
      let scpCpu = 0;
      const scps = await measure(`${PARALLEL} scp at once${tag}`, async () => {
        const cpus = await Promise.all(each.map(async (i) => {
          const cpu = await timedClient(`scp ${q(opts)} -q '${file}' '${login}:/tmp/upl-scp${i}'`);
          await remoteSha(`/tmp/upl-scp${i}`);
          return cpu;
        }));
        scpCpu = cpus.reduce((a, b) => a + b, 0);
      });
      figures.push({ ...scps, cpuMs: scpCpu, copies: PARALLEL });
      const many = await Promise.all(each.map(() => connectSsh(endpointOfHost(base), { acceptNewHostKeys: false })));
      try {
        figures.push({ ...await measure(`${PARALLEL} transport putFile at once${tag}`, () => Promise.all(each.map(async (i) => {
          await many[i]!.putFile(file, `/tmp/upl-ours${i}`, { mode: '0644' });
          await remoteSha(`/tmp/upl-ours${i}`);
        }))), copies: PARALLEL });
      } finally {
        await Promise.all(many.map((t) => t.close()));
      }
      await ssh('rm -f /tmp/upl-*');
    }
    for (const f of figures) console.log(line(f));
  } finally {
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchUpload();
