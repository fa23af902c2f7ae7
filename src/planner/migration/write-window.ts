import type { HostName } from '../../model/inventory.js';
import type { Step } from '../../model/plan.js';
import type { WriteWindow } from '../../model/migration.js';

/** One balancer as the write window sees it: where its rule goes, the rule, what the host holds now, how it reloads. */
export interface WindowBalancer {
  readonly host: HostName;
  /** `nginx`, `haproxy`: for messages. */
  readonly kind: string;
  /** roles/load-balancer/role.yaml `balancer.writeWindow`; null: this balancer has no config-driven rule. */
  readonly rule: { readonly dest: string; readonly sha256: string; readonly reload: readonly string[] } | null;
  /** sha256 of the rule file on the host now; null: absent (the window is open for writes). */
  readonly current: string | null;
}

const base = (host: HostName, id: string, reason: string, after: readonly string[] = []) => ({ id, host, reason, certainty: 'certain' as const, after });
const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

/**
 * Why `--read-only-window` cannot be kept on these balancers, or null. A balancer that changes servers through its
 * runtime API (HAProxy here) has no rule file its config includes: it is refused, never silently left writable.
 */
export function windowRefusal(balancers: readonly WindowBalancer[]): string | null {
  if (balancers.length === 0) return 'the inventory has no load balancer: nothing in front of blue could refuse design-time writes';
  const without = balancers.filter((b) => b.rule === null);
  if (without.length === 0) return null;
  return `${without.map((b) => `${b.host} (${b.kind})`).join(', ')}: no read-only window rule for this balancer (roles/load-balancer/role.yaml balancer.writeWindow), so blue could not refuse design-time writes there`;
}

/**
 * The rule on every balancer, before the backup: the file (when the host does not hold it already), then a reload.
 * A re-run that finds it in place plans nothing. Returns the steps and what the backup waits for.
 */
export function applyWindowSteps(balancers: readonly WindowBalancer[]): { readonly steps: Step[]; readonly waitFor: string[] } {
  const steps: Step[] = [];
  for (const b of balancers) {
    if (!b.rule || b.current === b.rule.sha256) continue;
    const dir = dirOf(b.rule.dest);
    const dirId = `${b.host}/ensure-dir/${dir}`;
    const fileId = `${b.host}/upload-file/${b.rule.dest}`;
    steps.push(
      { ...base(b.host, dirId, 'holds the read-only window rule nginx.conf includes'), kind: 'ensure-dir', path: dir, mode: '0755', owner: 'root:root' },
      { ...base(b.host, fileId, 'read-only window: blue refuses design-time writes from the backup until the switch', [dirId]),
        kind: 'upload-file', path: b.rule.dest, mode: '0644', owner: 'root:root', sha256: b.rule.sha256, expectSha256: b.current, secret: false },
      { ...base(b.host, `${b.host}/reload-component/write-window`, 'applies the rule; connections in flight finish on the old config', [fileId]),
        kind: 'reload-component', component: 'load-balancer', argv: b.rule.reload },
    );
  }
  return { steps, waitFor: steps.filter((s) => s.kind === 'reload-component').map((s) => s.id) };
}

/**
 * The rule off every balancer that holds it (`migrate --abort`): remove it. The rule tests for its own file on every
 * request, so that is enough; a rule an earlier apim-deploy wrote (other content) may not, and is reloaded away.
 */
export function liftWindowSteps(balancers: readonly WindowBalancer[]): Step[] {
  return balancers.flatMap((b): Step[] => {
    if (!b.rule || b.current === null) return [];
    const rmId = `${b.host}/remove-file/${b.rule.dest}`;
    const remove: Step = { ...base(b.host, rmId, 'lifts the read-only window: blue takes design-time writes again (the rule tests for its file per request)'), kind: 'remove-file', path: b.rule.dest };
    if (b.current === b.rule.sha256) return [remove];
    return [remove, { ...base(b.host, `${b.host}/reload-component/write-window`, 'the rule in place predates the self-lifting one: a reload drops it', [rmId]),
      kind: 'reload-component', component: 'load-balancer', argv: b.rule.reload }];
  });
}

/** The write window's lines in the first phase, from what the balancers hold now. */
export function windowOutline(window: WriteWindow, balancers: readonly WindowBalancer[]): string[] {
  const held = balancers.filter((b) => b.rule && b.current === b.rule.sha256).map((b) => b.host);
  if (window === 'read-only') {
    return [
      'read-only window: blue refuses design-time writes (publisher, admin, devportal, service catalog REST writes: 503) from the backup until the switch; reads, token requests and API traffic flow',
      ...(held.length > 0 ? [`the rule is in place on ${held.join(', ')} already`] : []),
    ];
  }
  return [
    'accepted: design-time writes made on blue after the backup are not on green (--accept-write-loss); the balancers are not touched',
    ...(held.length > 0 ? [`the read-only rule an earlier run set stays on ${held.join(', ')} until the switch or migrate --abort`] : []),
  ];
}

/**
 * `migrate --abort`: the rule lifted from every balancer, then the migration marked finished on the database host
 * (`abandoned` says why), so a later `migrate` starts a new one. Green's databases and the backups stay.
 */
export function abortSteps(migrationDir: string, databaseHost: HostName, balancers: readonly WindowBalancer[]): Step[] {
  const lift = liftWindowSteps(balancers);
  return [
    ...lift,
    { ...base(databaseHost, `${databaseHost}/run-once/migrate-abandoned`, 'abandoned by migrate --abort: a later migrate starts a new migration', lift.map((s) => s.id)),
      kind: 'run-once', name: 'mark the migration abandoned', argv: ['touch', '--', `${migrationDir}/abandoned`], marker: `${migrationDir}/finished` },
  ];
}
