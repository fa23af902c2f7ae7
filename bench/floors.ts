/**
 * Plain OpenSSH doing apim-deploy's work, for the benches' side-by-side columns: one multiplexed connection per host,
 * all hosts in parallel. The copy floor sends each host the archives it needs (`scp`) and hashes each on the host;
 * the no-op floor opens one connection per host and hashes the node's config files. Each returns its wall time and
 * the CPU seconds of the ssh/scp processes (this process's reaped children, from /proc/self/stat), and the whole
 * machine's (the hosts' sshd and sha256sum included).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clientKeyPath, knownHostsPath, type LabState } from '../src/lab/hosts/index.js';
import { probePaths } from '../src/planner/probe-paths.js';
import { openRun } from '../src/workflows/run/open-run.js';
import { cpuSample, cpuSince, type CpuFigure } from './machine-cpu.js';

export interface FloorHost {
  readonly host: string;
  readonly address: string;
  readonly artifacts: readonly { readonly local: string; readonly remote: string }[];
  readonly configs: readonly string[];
}

export interface FloorFigure { readonly ms: number; readonly cpuMs: number; readonly machine: CpuFigure }

type Lab = { readonly name: string; readonly projectRoot: string };

export function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((done, fail) => execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, _o, stderr) => (err ? fail(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : done())));
}

/** CPU ms of this process's waited-for children (cutime + cstime, fields 16 and 17 of /proc/self/stat). */
export function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // clock ticks of 10 ms (USER_HZ 100)
}

/** What each host needs, from the same desired state the planner uses. */
export async function floorHosts(inventory: string, state: LabState): Promise<FloorHost[]> {
  const ctx = await openRun({ inventory }, { artifacts: 'hash', connect: 'every', unreachable: 'stop' });
  await ctx.close();
  return ctx.desired.map((d) => {
    const artifacts = d.artifacts.map((a) => ({ local: a.artifact.localPath, remote: a.path }));
    const archives = new Set(artifacts.map((a) => a.remote));
    const address = state.hosts.find((x) => x.name === d.host.name)!.address;
    return { host: d.host.name, address, artifacts, configs: probePaths(d).files!.filter((f) => !archives.has(f)) };
  });
}

export class OpenSshFloor {
  constructor(private readonly lab: Lab, private readonly hosts: readonly FloorHost[], private readonly control: string) {}

  #opts(h: FloorHost): string[] {
    return ['-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHostsPath(this.lab)}`, '-i', clientKeyPath(this.lab),
      '-o', 'ControlMaster=auto', '-o', `ControlPath=${this.control}-${h.host}`, '-o', 'ControlPersist=120'];
  }

  #ssh(h: FloorHost, script: string, ...args: string[]): Promise<void> {
    return run('ssh', [...this.#opts(h), `deploy@${h.address}`, 'sh', '-c', `'${script}'`, 'floor', ...args]);
  }

  async #measured(work: () => Promise<unknown>): Promise<FloorFigure> {
    const cpu0 = childrenCpuMs();
    const machine0 = cpuSample();
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    const machine = cpuSince(machine0);
    // Connections closed: the next floor pays for its connections as apim-deploy does for its own.
    await Promise.all(this.hosts.map((h) => run('ssh', [...this.#opts(h), '-O', 'exit', `deploy@${h.address}`]).catch(() => undefined)));
    return { ms, cpuMs: childrenCpuMs() - cpu0, machine };
  }

  /** scp of every archive a host needs, then its sha256sum on the host; hosts in parallel. */
  copy(): Promise<FloorFigure> {
    return this.#measured(() => Promise.all(this.hosts.map(async (h) => {
      await this.#ssh(h, 'mkdir -p /tmp/floor');
      for (const a of h.artifacts) {
        const to = `/tmp/floor/${a.remote.split('/').pop()!}`;
        await run('scp', [...this.#opts(h), '-q', a.local, `deploy@${h.address}:${to}`]);
        await this.#ssh(h, 'sha256sum -- "$1" >/dev/null', to);
      }
      await this.#ssh(h, 'rm -rf /tmp/floor');
    })));
  }

  /** One command per host: sha256sum of the node's config files (through sudo). */
  noop(): Promise<FloorFigure> {
    return this.#measured(() => Promise.all(this.hosts.map((h) =>
      this.#ssh(h, 'n=$1; shift; sudo -n sha256sum -- "$@" >/dev/null 2>&1; true', String(h.configs.length), ...h.configs))));
  }
}
