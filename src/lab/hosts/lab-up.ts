import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteError, UsageError } from '../../errors.js';
import { allocateAddresses, bridgeAddress, DEFAULT_SUBNET, parseSubnet, PREFIX_LENGTH, type Subnet } from './addresses.js';
import { bootHost, bootLogPath } from './boot-host.js';
import { prepareHostFiles, renderEtcHosts, writeEtcHosts } from './host-files.js';
import { hostsFromInventory, type WantedHost } from './inventory-hosts.js';
import { attachVeths, deleteLinks, ensureBridge, subnetUsers } from './links.js';
import { withLabLock } from './lock.js';
import { bridgeName, checkHostNames, checkLabName, vethName } from './names.js';
import { writeHostsYaml, writeKnownHosts, writeSshConfig } from './outputs.js';
import * as paths from './paths.js';
import { assertCanRunLab } from './preflight.js';
import { isAlive } from './processes.js';
import { generateEd25519 } from './ssh-keys.js';
import { sshBanner, waitForSsh } from './ssh-probe.js';
import { LAB_STATE_FORMAT, readLabState, writeLabState, type LabHost, type LabState } from './state.js';
import { removeTree, stopHosts } from './teardown.js';

export interface LabUpOptions extends paths.LabLocation {
  /** Hosts `host-1` .. `host-N`. */
  readonly hosts?: number;
  /** Host names, in address order. */
  readonly names?: readonly string[];
  /** A private /24; default: the lab's recorded subnet, else 10.213.7.0/24. */
  readonly subnet?: string;
  /** Where host names come from when neither hosts nor names is given; default `<projectRoot>/inventories/lab.yaml`. */
  readonly inventory?: string;
}

function wantedHosts(opts: LabUpOptions): WantedHost[] {
  if (opts.hosts !== undefined && opts.names !== undefined) throw new UsageError('give --hosts or --names, not both');
  if (opts.hosts !== undefined) {
    if (!Number.isInteger(opts.hosts) || opts.hosts < 1) throw new UsageError(`--hosts must be a positive integer, not ${opts.hosts}`);
    return Array.from({ length: opts.hosts }, (_, i) => ({ name: `host-${i + 1}` }));
  }
  if (opts.names !== undefined) return opts.names.map((name) => ({ name }));
  return hostsFromInventory(opts.inventory ?? join(opts.projectRoot ?? process.cwd(), 'inventories', 'lab.yaml'));
}

interface Planned {
  readonly name: string;
  readonly address: string;
  readonly veth: string;
  readonly dir: string;
}

/** Records every change as it happens (write temp + rename), so a crash leaves a state the next run can clean. */
class StateRecorder {
  constructor(private readonly file: string, public state: LabState) {}
  save(hosts: readonly LabHost[] = this.state.hosts): void {
    this.state = { ...this.state, hosts };
    writeLabState(this.file, this.state);
  }
  upsert(host: LabHost): void {
    this.save([...this.state.hosts.filter((h) => h.name !== host.name), host]);
  }
  drop(name: string): void {
    this.save(this.state.hosts.filter((h) => h.name !== name));
  }
}

function clientPublicKey(loc: paths.LabLocation): string {
  const key = paths.clientKeyPath(loc);
  if (!existsSync(key) || !existsSync(`${key}.pub`)) {
    const pair = generateEd25519(`apim-deploy-lab@${paths.labName(loc)}`);
    writeFileSync(key, pair.privateKey, { mode: 0o600 });
    writeFileSync(`${key}.pub`, `${pair.publicKey}\n`, { mode: 0o644 });
  }
  return readFileSync(`${key}.pub`, 'utf8').trim();
}

async function bootOne(plan: Planned, rec: StateRecorder, clientKey: string, etcHosts: string) {
  prepareHostFiles({ ...plan, clientPublicKey: clientKey, etcHosts });
  const booted = await bootHost({ ...plan, prefixLength: PREFIX_LENGTH }, (unshare) =>
    rec.upsert({ ...plan, unshare, sshd: null }),
  );
  rec.upsert({ ...plan, ...booted });
}

/**
 * Healthy = both recorded processes alive and sshd answering. A just-killed sshd can look alive for a moment,
 * and a probe to a dead host waits for its timeout, so the probe races a watch on the process.
 */
async function isHealthy(h: LabHost): Promise<boolean> {
  const sshd = h.sshd;
  if (sshd === null || !isAlive(sshd) || !isAlive(h.unshare)) return false;
  const watch = new AbortController();
  const died = (async () => {
    while (!watch.signal.aborted && isAlive(sshd)) await new Promise((r) => setTimeout(r, 20));
    return false;
  })();
  const answered = await Promise.race([sshBanner(h.address, 5000), died]);
  watch.abort();
  return answered;
}

/**
 * Converges the lab to exactly the requested hosts: healthy hosts stay (same PIDs), dead or changed ones are
 * replaced (their disks kept, like a rebooted VM), extra ones are removed with their directories.
 */
export async function labUp(opts: LabUpOptions = {}): Promise<LabState> {
  assertCanRunLab();
  const name = checkLabName(paths.labName(opts));
  const wanted = wantedHosts(opts);
  checkHostNames(wanted.map((w) => w.name));
  return withLabLock(paths.lockPath(opts), async () => {
    const file = paths.statePath(opts);
    let previous = readLabState(file);
    const subnet: Subnet = parseSubnet(opts.subnet ?? previous?.subnet ?? DEFAULT_SUBNET);
    const addresses = allocateAddresses(wanted, subnet);
    const plan: Planned[] = wanted.map((w, i) => {
      const address = addresses[i] as string;
      return { name: w.name, address, veth: vethName(name, address), dir: paths.hostDir(opts, w.name) };
    });
    const bridge = bridgeName(name);

    // A lab moving to another subnet (or with a bridge from an older naming) is rebuilt from scratch.
    if (previous && (previous.subnet !== subnet.cidr || previous.bridge !== bridge)) {
      await stopHosts(previous.hosts);
      await deleteLinks([previous.bridge]);
      previous = undefined;
    }
    const rec = new StateRecorder(file, {
      format: LAB_STATE_FORMAT, name, stateDir: paths.stateDir(opts), subnet: subnet.cidr,
      bridge, bridgeAddress: bridgeAddress(subnet), hosts: previous?.hosts ?? [],
    });

    const healthy = await Promise.all(rec.state.hosts.map(async (h) => {
      const want = plan.find((p) => p.name === h.name);
      return want?.address === h.address && isHealthy(h);
    }));
    const keep = rec.state.hosts.filter((_, i) => healthy[i]);
    const retire = rec.state.hosts.filter((h) => !keep.includes(h));
    await stopHosts(retire);
    rec.save(keep);
    for (const h of retire) if (!plan.some((p) => p.name === h.name)) await removeTree(h.dir);

    const clashes = await subnetUsers(subnet.prefix, bridge);
    if (clashes.length > 0) {
      throw new UsageError(`subnet ${subnet.cidr} is already used by ${clashes.join(', ')}`, 'choose another with --subnet');
    }
    await ensureBridge(bridge, rec.state.bridgeAddress, previous !== undefined);

    const clientKey = clientPublicKey(opts);
    const etcHosts = renderEtcHosts(plan);
    for (const h of keep) writeEtcHosts(h.dir, etcHosts);
    const toBoot = plan.filter((p) => !keep.some((h) => h.name === p.name));
    const results = await Promise.allSettled(toBoot.map((p) => bootOne(p, rec, clientKey, etcHosts)));
    const failed = toBoot.filter((_, i) => results[i]?.status === 'rejected');
    await attachVeths(bridge, toBoot.filter((p) => !failed.includes(p)).map((p) => p.veth));
    if (failed.length > 0) {
      const dead = rec.state.hosts.filter((h) => failed.some((f) => f.name === h.name));
      await stopHosts(dead);
      rec.save(rec.state.hosts.filter((h) => !dead.includes(h)));
      throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    }

    const answers = await Promise.all(plan.map((p) => waitForSsh(p.address)));
    const silent = plan.filter((_, i) => !answers[i]);
    if (silent.length > 0) {
      const first = silent[0] as Planned;
      throw new RemoteError(first.name, `sshd on ${silent.map((s) => s.address).join(', ')} does not answer`,
        readFileSync(bootLogPath(first.dir), 'utf8').trim().split('\n').slice(-8).join('\n'), 'run `lab up` again; it replaces dead hosts');
    }

    const ordered = plan.map((p) => rec.state.hosts.find((h) => h.name === p.name) as LabHost);
    rec.save(ordered);
    const hostKeys = plan.map((p) => ({
      ...p, publicKey: readFileSync(join(p.dir, 'etc', 'upper', 'ssh', 'ssh_host_ed25519_key.pub'), 'utf8').trim(),
    }));
    writeKnownHosts(paths.knownHostsPath(opts), hostKeys);
    writeHostsYaml(paths.hostsYamlPath(opts), plan, paths.clientKeyPath(opts), paths.knownHostsPath(opts));
    writeSshConfig(paths.sshConfigPath(opts), plan, paths.clientKeyPath(opts), paths.knownHostsPath(opts));
    return rec.state;
  });
}

