import { posix } from 'node:path';
import { EMPTY_CONTENT, type Step } from '../model/plan.js';
import { STATE_DIR } from '../topology/layout.js';
import { absentWhenPlanned } from './absent-when-planned.js';
import type { DesiredFile, DesiredNode } from './desired-state.js';
import type { HostState } from './inputs.js';
import { StepChain } from './step-builder.js';
import { enableUnit } from './unit-enable.js';

/** Moves each persistent dir out of a fresh release into the role's data dir (once) and links it back. */
const PERSIST_SCRIPT = [
  'set -eu',
  'owner=$1; shift',
  'while [ $# -ge 2 ]; do',
  '  in_release=$1 data=$2; shift 2',
  '  if [ ! -e "$data" ]; then',
  '    mkdir -p -- "$(dirname -- "$data")"',
  '    if [ -d "$in_release" ] && [ ! -L "$in_release" ]; then mv -T -- "$in_release" "$data"; else mkdir -p -- "$data"; fi',
  '    chown -R -- "$owner" "$data"',
  '  fi',
  '  rm -rf -- "$in_release"',
  '  mkdir -p -- "$(dirname -- "$in_release")"',
  '  ln -s -- "$data" "$in_release"',
  'done',
].join('\n');

export const persistMarker = (releaseDir: string): string => `${releaseDir}/.apim-deploy-persistent-linked`;

/** Markers of the node's setups that touch only its new release (role setup `inRelease`): staged with the release. */
export function inReleaseSetupMarkers(node: DesiredNode): ReadonlySet<string> {
  const dir = node.release?.dir;
  return new Set(dir ? node.setup.filter((s) => s.inRelease && s.marker.startsWith(`${dir}/`)).map((s) => s.marker) : []);
}

/** Markers of the run-once steps that fill a new release before it runs: the persistent-data links and the inRelease setups. */
export function releaseFillMarkers(node: DesiredNode): ReadonlySet<string> {
  const dir = node.release?.dir;
  return new Set(dir ? [persistMarker(dir), ...inReleaseSetupMarkers(node)] : []);
}

const SYSTEMD_UNIT_DIR = '/etc/systemd/system/';
export const isSystemdUnit = (file: DesiredFile): boolean => file.path.startsWith(SYSTEMD_UNIT_DIR);
/** systemd re-read this content of the unit: keyed by its sha256, so a changed unit (or a failed reload) reloads again. */
const reloadMarkerPrefix = (unit: DesiredFile): string => `${STATE_DIR}/systemd/${posix.basename(unit.path)}`;
export const daemonReloadMarker = (unit: DesiredFile): string => `${reloadMarkerPrefix(unit)}.${unit.sha256.slice(0, 12)}`;
/** Reloads, then drops the markers of earlier contents, so only what systemd holds now is marked (a revert reloads too). */
const DAEMON_RELOAD_SCRIPT = 'systemctl daemon-reload && rm -f -- "$1".*';

/**
 * Remembers, on the host, that a running node's config changed and still needs a restart (or reload): written
 * before the first upload, removed by the start (or reload) that applies it. A run that fails in between leaves
 * it, so the next run still restarts the node instead of finding its files in sync and doing nothing.
 */
export const pendingMarker = (role: string, action: 'restart' | 'reload'): string => `${STATE_DIR}/pending/${role}.${action}`;
const RUN_THEN_CLEAR = 'restart=$1 reload=$2; shift 2; "$@" && rm -f -- "$restart" "$reload"';
const RELOAD_THEN_CLEAR = 'reload=$1; shift; "$@" && rm -f -- "$reload"';

/** Stop grace for WSO2 (it finishes in-flight requests on SIGTERM); services stop fast. */
const STOP_GRACE_MS = 60_000;

export interface NodeSteps {
  readonly steps: Step[];
  /** The node's health gate: dependants wait for it. */
  readonly healthyStepId: string;
  readonly changed: boolean;
}

/**
 * One node's steps, each with its reason: unpack the release, link persistent data, upload changed files,
 * run setup, switch `current`, (re)start only when something it reads changed, and gate on health.
 */
export function nodeSteps(node: DesiredNode, state: HostState, after: readonly string[], opts: { healthTimeoutMs?: number } = {}): NodeSteps {
  const { facts } = state;
  const { host, role } = node.node;
  const chain = new StepChain(host, node.node, after);
  const rt = node.runtime;
  const restartWhy: string[] = [];
  let reload = false;

  const release = node.release;
  const unpacking = release !== null && !facts.markers[release.dir];
  if (release && unpacking) {
    chain.add({ kind: 'extract-archive', key: release.dir, archive: release.archive, dest: release.dir, format: release.format,
      owner: `${rt.serviceUser}:${rt.serviceGroup}`, reason: `release ${release.id} not unpacked` });
  }
  if (release && node.releaseRuntime.persistentDirs.length > 0 && !facts.markers[persistMarker(release.dir)]) {
    chain.add({
      kind: 'run-once', key: `${release.dir}/persistent`, name: 'link persistent data into the release', marker: persistMarker(release.dir),
      reason: 'new release: keep logs, tenants, user stores and H2 data outside it',
      argv: ['sh', '-c', PERSIST_SCRIPT, 'link-persistent', `${rt.serviceUser}:${rt.serviceGroup}`,
        ...node.releaseRuntime.persistentDirs.flatMap((d) => [d.path, d.dataPath])],
    });
  }
  // First, before a config that could read them is loaded: files that must not be there.
  for (const path of node.absent.filter((p) => (facts.files[p] ?? null) !== null)) {
    chain.add({ kind: 'remove-file', key: path, path, reason: 'must not exist now (role.yaml absent)' });
  }
  // Files the config reads but another command writes: created empty where missing, before the config needs them.
  for (const p of node.present.filter((x) => (facts.files[x.path] ?? null) === null)) {
    chain.add({ kind: 'upload-file', key: p.path, path: p.path, mode: p.mode, owner: p.owner, sha256: EMPTY_CONTENT.sha256, expectSha256: null,
      secret: false, reason: 'must exist (role.yaml present): created empty; its content is written by another command' });
  }
  // A release unpacked by this plan will hold the distribution's own copy.
  const remoteOf = (path: string, packSha256: string | null) =>
    unpacking && release && path.startsWith(`${release.dir}/`) ? packSha256 : (facts.files[path] ?? null);
  const files = node.files.map((file) => ({ file, remote: remoteOf(file.path, file.packSha256) })).filter((f) => f.remote !== f.file.sha256);
  const libs = node.libs.map((lib) => ({ lib, remote: unpacking ? null : (facts.files[lib.path] ?? null) })).filter((l) => l.remote !== l.lib.artifact.sha256);
  for (const { file } of files) {
    if (file.onChange === 'restart') restartWhy.push(`${file.path} changed`);
    if (file.onChange === 'reload') reload = true;
  }
  for (const { lib } of libs) restartWhy.push(`${lib.path} changed`);
  const running = isRunning(node, state);
  const markers = { restart: pendingMarker(role, 'restart'), reload: pendingMarker(role, 'reload') };
  if (running && facts.markers[markers.restart]) restartWhy.push('an earlier run changed its config but never restarted it');
  if (running && facts.markers[markers.reload]) reload = true;
  const pending = restartWhy.length > 0 ? markers.restart : reload && rt.reload ? markers.reload : null;
  // A moving `current` link already says "restart" until it has moved; only in-place changes need the marker.
  const linkMoves = release !== null && facts.links[release.link] !== release.dir;
  if (running && pending && !linkMoves && (files.length > 0 || libs.length > 0)) {
    chain.add({ kind: 'run-once', key: pending, name: `remember the pending ${pending === markers.restart ? 'restart' : 'reload'}`, argv: ['true'],
      marker: pending, reason: 'kept until the change is applied, so an interrupted run still applies it' });
  }
  for (const { file, remote } of files) {
    chain.add({ kind: 'upload-file', key: file.path, path: file.path, mode: file.mode, owner: file.owner, sha256: file.sha256,
      expectSha256: remote, secret: file.secret, reason: remote === null ? 'not on host' : unpacking ? 'replaces the distribution default' : 'content differs' });
  }
  for (const { lib, remote } of libs) {
    chain.add({ kind: 'upload-artifact', key: lib.path, localPath: lib.artifact.localPath, path: lib.path, sha256: lib.artifact.sha256,
      size: lib.artifact.size, mode: lib.mode ?? '0644', owner: lib.owner ?? `${rt.serviceUser}:${rt.serviceGroup}`,
      reason: remote === null ? 'not in the release' : 'sha256 differs', ...absentWhenPlanned(facts, lib.path) });
  }

  if (linkMoves && release) restartWhy.push(facts.links[release.link] ? `release changes to ${release.id}` : `first release ${release.id}`);
  const restart = running && restartWhy.length > 0;
  if (restart) chain.add({ kind: 'stop-component', key: role, component: role, argv: rt.stop, env: rt.env, ...(rt.pidFile ? { pidFile: rt.pidFile } : {}),
    graceMs: node.kind === 'wso2' ? STOP_GRACE_MS : 30_000, reason: `restart: ${restartWhy.join(', ')}` });

  // Setup runs with the files in place and the component stopped, unless it needs it up (database scripts).
  for (const s of pendingSetup(node, state).filter((x) => !x.whileRunning)) chain.add({ kind: 'run-once', key: `setup-${s.name}`, name: s.name, argv: s.argv, marker: s.marker, ...(s.stdin ? { stdinKey: s.stdin.key } : {}), reason: 'not done for this release' });
  if (linkMoves && release) chain.add({ kind: 'link', key: release.link, path: release.link, target: release.dir, reason: restartWhy.at(-1)! });
  for (const unit of node.files.filter(isSystemdUnit)) {
    const marker = daemonReloadMarker(unit);
    if (facts.markers[marker]) continue;
    chain.add({ kind: 'run-once', key: `daemon-reload-${posix.basename(unit.path)}`, name: `systemctl daemon-reload (${posix.basename(unit.path)})`,
      argv: ['sh', '-c', DAEMON_RELOAD_SCRIPT, 'daemon-reload', reloadMarkerPrefix(unit)], marker,
      reason: facts.files[unit.path] === unit.sha256 ? 'systemd has not re-read this unit' : 'unit file changed' });
  }
  const enable = rt.systemdUnit ? enableUnit(rt.systemdUnit) : null;
  if (enable && !facts.markers[enable.link]) {
    chain.add({ kind: 'run-once', key: `enable-${enable.unit}`, name: `systemctl enable ${enable.unit}`, argv: enable.argv, marker: enable.link,
      reason: 'not enabled: it would not start at boot' });
  }

  const starts = !running || restart;
  if (starts) {
    chain.add({ kind: 'start-component', key: role, component: role, argv: ['sh', '-c', RUN_THEN_CLEAR, 'apply-pending', markers.restart, markers.reload, ...rt.start], env: rt.env,
      ...(rt.pidFile ? { pidFile: rt.pidFile } : {}), ...(rt.startSecret ? { secretFile: rt.startSecret } : {}), reason: restart ? `restart: ${restartWhy.join(', ')}` : 'not running' });
  } else if (reload && rt.reload) {
    chain.add({ kind: 'reload-component', key: role, component: role, argv: ['sh', '-c', RELOAD_THEN_CLEAR, 'apply-pending', markers.reload, ...rt.reload], reason: 'config changed: reload' });
  }
  const healthyStepId = chain.add({
    kind: 'wait-healthy', key: role, component: role, checks: rt.checks, logFile: rt.logFile,
    policy: { ...rt.policy, ...(starts ? {} : { settleMs: 0 }), ...(opts.healthTimeoutMs ? { timeoutMs: opts.healthTimeoutMs } : {}) },
    reason: starts ? 'gate dependants on health' : 'verify the running node',
  });
  for (const s of pendingSetup(node, state).filter((x) => x.whileRunning)) chain.add({ kind: 'run-once', key: `setup-${s.name}`, name: s.name, argv: s.argv, marker: s.marker, ...(s.stdin ? { stdinKey: s.stdin.key } : {}), reason: 'not done yet' });
  const last = chain.tail[0] ?? healthyStepId;
  return { steps: chain.steps, healthyStepId: last, changed: chain.steps.some((s) => s.kind !== 'wait-healthy') };
}

function isRunning(node: DesiredNode, state: HostState): boolean {
  if (node.kind === 'service') return state.serviceRunning[node.node.role] === true;
  const pid = node.runtime.pidFile ? state.facts.pids[node.runtime.pidFile] : undefined;
  return pid?.state === 'alive';
}

function pendingSetup(node: DesiredNode, state: HostState) {
  return node.setup.filter((s) => !state.facts.markers[s.marker]);
}
