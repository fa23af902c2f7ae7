import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteError, UsageError } from '../../errors.js';
import { capControllerLink, uncapControllerLink } from './controller-cap.js';
import { DEFAULT_SUBNET, parseSubnet, PREFIX_LENGTH } from './addresses.js';
import { bootHost, bootLogPath } from './boot-host.js';
import { prepareHostFiles, renderEtcHosts, writeEtcHosts } from './host-files.js';
import { isHealthy, sshAnswers } from './host-health.js';
import { hostsFromInventory, type WantedHost } from './inventory-hosts.js';
import { attachVeths, blockSubnet, deleteLinks, ensureBridge, ensureInnerBridge, refuseTakenBridge, subnetUsers, unblockSubnet } from './links.js';
import { withLabLock } from './lock.js';
import { checkHostNames, checkLabName } from './names.js';
import { planHosts, planNetwork, vethBridges, type LabNetwork, type PlannedHost } from './network.js';
import { writeHostsYaml, writeKnownHosts, writeSshConfig, type LabLogin } from './outputs.js';
import * as paths from './paths.js';
import { assertCanRunLab } from './preflight.js';
import { generateEd25519 } from './ssh-keys.js';
import { LAB_STATE_FORMAT, readLabState, type LabHost, type LabState } from './state.js';
import { StateRecorder } from './state-recorder.js';
import { asGivenOptions } from './recorded-options.js';
import { prepareSystemdHost } from './systemd-host.js';
import { labSudoPassword } from './sudo-password.js';
import { removeTree, stopHosts } from './teardown.js';

/** How long lab up waits for every booted host's sshd to answer before calling the silent ones dead. */
const SSHD_ANSWER_MS = 60_000;

export interface LabUpOptions extends paths.LabLocation {
  /** Hosts `host-1` .. `host-N`. */
  readonly hosts?: number;
  /** Host names, in address order. */
  readonly names?: readonly string[];
  /** A private /24; default: the lab's recorded subnet, else 10.213.7.0/24. */
  readonly subnet?: string;
  /** Where host names come from when neither hosts nor names is given; default `<projectRoot>/inventories/lab.yaml`. */
  readonly inventory?: string;
  /** sudo asks the login user for a password, written to the lab's secrets.env. Default: password-less sudo. */
  readonly sudoPassword?: boolean;
  /** Hosts behind a bastion the controller reaches them through; `bastionSubnet` is the front /24. */
  readonly bastion?: boolean;
  readonly bastionSubnet?: string;
  /** Benchmarks only (no CLI option): root may log in too, for root-direct baseline figures. */
  readonly rootLogin?: boolean;
  /** `systemd`: hosts boot with the lab's systemd stand-in (src/lab/systemd/README.md), so `lab reboot` brings enabled units back. */
  readonly init?: 'systemd';
  /** Caps what the controller sends into the lab at this many Mbit/s (controller-cap.ts); unset: no cap. */
  readonly controllerMbit?: number;
  /**
   * The hosts' sshd allow no TCP forwarding (AllowTcpForwarding no, as CIS hardening asks): health checks cannot use
   * the SSH connection's tunnel. A bastion keeps forwarding: carrying the sessions to the hosts behind it is its job.
   */
  readonly forbidTcpForwarding?: boolean;
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

function clientPublicKey(loc: paths.LabLocation): string {
  const key = paths.clientKeyPath(loc);
  if (!existsSync(key) || !existsSync(`${key}.pub`)) {
    const pair = generateEd25519(`apim-deploy-lab@${paths.labName(loc)}`);
    writeFileSync(key, pair.privateKey, { mode: 0o600 });
    writeFileSync(`${key}.pub`, `${pair.publicKey}\n`, { mode: 0o644 });
  }
  return readFileSync(`${key}.pub`, 'utf8').trim();
}

interface BootInputs {
  readonly rec: StateRecorder;
  readonly clientKey: string;
  readonly etcHosts: string;
  readonly sudoPasswordHash: string | undefined;
  readonly rootLogin: boolean;
  readonly forbidTcpForwarding: boolean;
  readonly init: 'systemd' | undefined;
}

async function bootOne(plan: PlannedHost, inputs: BootInputs) {
  const { internal, ...record } = plan;
  const base = { ...record, ...(internal ? { internal } : {}) };
  prepareHostFiles({ ...plan, clientPublicKey: inputs.clientKey, etcHosts: inputs.etcHosts, sudoPasswordHash: inputs.sudoPasswordHash, rootLogin: inputs.rootLogin,
    // The bastion (the host with an inner link) keeps forwarding: it carries the sessions to the hosts.
    tcpForwarding: plan.inner !== undefined || !inputs.forbidTcpForwarding });
  if (inputs.init) await prepareSystemdHost(plan.dir);
  const booted = await bootHost({ ...plan, prefixLength: PREFIX_LENGTH, ...(inputs.init ? { init: inputs.init } : {}) }, (unshare) => inputs.rec.upsert({ ...base, unshare, sshd: null }));
  inputs.rec.upsert({ ...base, ...booted });
}

const sameNetwork = (s: LabState, net: LabNetwork): boolean =>
  s.subnet === net.subnet.cidr && s.bridge === net.bridge && s.bastion?.subnet === net.bastion?.subnet && s.bastion?.innerBridge === net.bastion?.innerBridge;

/**
 * Refuses a network someone else holds: a subnet another interface has an address in, or a bridge name an interface
 * this lab did not record already has. Runs before the lab's state is first written.
 */
async function refuseTakenNetwork(net: LabNetwork, owner: { stateDir: string; recorded: boolean }): Promise<void> {
  for (const cidr of [net.subnet.cidr, net.bastion?.subnet]) {
    if (cidr === undefined) continue;
    const clashes = await subnetUsers(parseSubnet(cidr).prefix, net.bridge);
    if (clashes.length > 0) throw new UsageError(`subnet ${cidr} is already used by ${clashes.join(', ')}`, 'choose another with --subnet or --bastion-subnet');
  }
  await refuseTakenBridge(net.bridge, owner);
  if (net.bastion) await refuseTakenBridge(net.bastion.innerBridge, owner);
}

/** Bridges (and, behind a bastion, the route that keeps the controller out). */
async function ensureNetwork(net: LabNetwork, stateDir: string): Promise<void> {
  await ensureBridge(net.bridge, net.bridgeAddress, stateDir);
  if (!net.bastion) return;
  await ensureInnerBridge(net.bastion.innerBridge, `${net.subnet.prefix}.1`, stateDir);
  await blockSubnet(net.subnet.cidr);
}

/**
 * Converges the lab to exactly the requested hosts (`hosts`: names and addresses as recorded, for lab reboot): healthy hosts stay (same PIDs), dead or changed ones are
 * replaced (their disks kept, like a rebooted VM), extra ones are removed with their directories.
 */
export async function labUp(opts: LabUpOptions = {}, hosts?: readonly WantedHost[]): Promise<LabState> {
  assertCanRunLab();
  const name = checkLabName(paths.labName(opts));
  const wanted = hosts ?? wantedHosts(opts);
  checkHostNames(wanted.map((w) => w.name));
  return withLabLock(paths.lockPath(opts), async () => {
    const file = paths.statePath(opts);
    let previous = readLabState(file);
    const subnet = parseSubnet(opts.subnet ?? previous?.subnet ?? DEFAULT_SUBNET);
    const net = planNetwork(name, subnet, opts.bastion ? { ...(opts.bastionSubnet ? { subnet: opts.bastionSubnet } : {}) } : undefined);
    const plan = planHosts(name, net, wanted, (host) => paths.hostDir(opts, host));

    // A lab moving to another network (subnet, bridge naming, bastion or not) is rebuilt from scratch.
    if (previous && !sameNetwork(previous, net)) {
      await stopHosts(previous.hosts);
      await deleteLinks([previous.bridge, ...(previous.bastion ? [previous.bastion.innerBridge] : [])]);
      if (previous.bastion) await unblockSubnet(previous.subnet);
      previous = undefined;
    }
    await refuseTakenNetwork(net, { stateDir: paths.stateDir(opts), recorded: previous !== undefined });
    const sudo = await labSudoPassword(paths.secretsPath(opts), opts.sudoPassword ?? false);
    const rec = new StateRecorder(file, {
      format: LAB_STATE_FORMAT, name, stateDir: paths.stateDir(opts), subnet: subnet.cidr, bridge: net.bridge,
      bridgeAddress: net.bridgeAddress, ...(net.bastion ? { bastion: net.bastion } : {}), ...(sudo ? { sudoPassword: true } : {}),
      ...asGivenOptions(opts),
      hosts: previous?.hosts ?? [],
    });

    // A host whose sudo, root-login, forwarding or init mode changed is rebooted, so its /etc gets the new rule, password and sshd_config.
    const sudoSame = (previous?.sudoPassword ?? false) === (sudo !== undefined) && (previous?.rootLogin ?? false) === (opts.rootLogin ?? false)
      && (previous?.forbidTcpForwarding ?? false) === (opts.forbidTcpForwarding ?? false) && previous?.init === opts.init;
    const healthy = await Promise.all(rec.state.hosts.map(async (h) => {
      const want = plan.find((p) => p.name === h.name);
      return sudoSame && want?.address === h.address && isHealthy(h);
    }));
    const keep = rec.state.hosts.filter((_, i) => healthy[i]);
    const retire = rec.state.hosts.filter((h) => !keep.includes(h));
    await stopHosts(retire);
    rec.save(keep);
    for (const h of retire) if (!plan.some((p) => p.name === h.name)) await removeTree(h.dir);
    await ensureNetwork(net, paths.stateDir(opts));
    if (opts.controllerMbit) await capControllerLink(net.bridge, opts.controllerMbit);
    else if (previous?.controllerMbit) await uncapControllerLink(net.bridge);

    const inputs: BootInputs = { rec, clientKey: clientPublicKey(opts), etcHosts: renderEtcHosts(plan.map((p) => ({ name: p.name, address: p.inner?.address ?? p.address }))), sudoPasswordHash: sudo?.hash, rootLogin: opts.rootLogin ?? false,
      forbidTcpForwarding: opts.forbidTcpForwarding ?? false, init: opts.init };
    for (const h of keep) writeEtcHosts(h.dir, inputs.etcHosts);
    const toBoot = plan.filter((p) => !keep.some((h) => h.name === p.name));
    const results = await Promise.allSettled(toBoot.map((p) => bootOne(p, inputs)));
    const failed = toBoot.filter((_, i) => results[i]?.status === 'rejected');
    const booted = toBoot.filter((p) => !failed.includes(p));
    for (const { bridge, veths } of vethBridges(net, booted)) await attachVeths(bridge, veths);
    if (failed.length > 0) {
      const dead = rec.state.hosts.filter((h) => failed.some((f) => f.name === h.name));
      await stopHosts(dead);
      rec.save(rec.state.hosts.filter((h) => !dead.includes(h)));
      throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    }

    const ordered = plan.map((p) => rec.state.hosts.find((h) => h.name === p.name) as LabHost);
    // Generous: a host that is up answers at once; 64 booting together on a busy machine can take many seconds.
    const answers = await Promise.all(ordered.map((h) => sshAnswers(h, SSHD_ANSWER_MS)));
    const silent = ordered.filter((_, i) => !answers[i]);
    if (silent.length > 0) {
      const first = silent[0] as LabHost;
      throw new RemoteError(first.name, `sshd on ${silent.map((s) => s.address).join(', ')} does not answer`,
        readFileSync(bootLogPath(first.dir), 'utf8').trim().split('\n').slice(-8).join('\n'), 'run `lab up` again; it replaces dead hosts');
    }
    rec.save(ordered);
    writeOutputs(opts, plan, net, sudo !== undefined);
    return rec.state;
  });
}

function writeOutputs(opts: paths.LabLocation, plan: readonly PlannedHost[], net: LabNetwork, sudoPassword: boolean): void {
  const hostKeys = plan.map((p) => ({
    ...p, publicKey: readFileSync(join(p.dir, 'etc', 'upper', 'ssh', 'ssh_host_ed25519_key.pub'), 'utf8').trim(),
  }));
  const bastion = net.bastion ? plan.find((p) => p.inner !== undefined) : undefined;
  const login: LabLogin = {
    sshKey: paths.clientKeyPath(opts), knownHosts: paths.knownHostsPath(opts), sudoPassword,
    ...(bastion ? { bastion: { name: bastion.name, address: bastion.address } } : {}),
  };
  const targets = plan.filter((p) => p !== bastion);
  writeKnownHosts(paths.knownHostsPath(opts), hostKeys);
  writeHostsYaml(paths.hostsYamlPath(opts), targets, login);
  writeSshConfig(paths.sshConfigPath(opts), targets, login);
}
