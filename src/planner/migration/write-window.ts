import type { HostName } from '../../model/inventory.js';
import { EMPTY_CONTENT, type Step } from '../../model/plan.js';
import type { WriteWindow } from '../../model/migration.js';
import { StepChain } from '../step-builder.js';

/** One balancer as the write window sees it: where its rule goes, the rule, what the host holds now, how it reloads. */
export interface WindowBalancer {
  readonly host: HostName;
  /** `nginx`, `haproxy`: for messages. */
  readonly kind: string;
  /** roles/load-balancer/role.yaml `balancer.writeWindow`; null: this balancer has no config-driven rule. */
  readonly rule: WindowRule | null;
  /** sha256 of the rule file on the host now; null: absent. Absent or empty: the window is open for writes. */
  readonly current: string | null;
}

export interface WindowRule {
  readonly dest: string;
  readonly sha256: string;
  readonly reload: readonly string[];
  /** Sets the running balancer with `read-only` or `writable` appended, no reload (HAProxy); null: a reload applies the file (nginx). */
  readonly runtime: readonly string[] | null;
  /** What lifting leaves: no file, or an empty one (a config that loads the file at every start needs it). */
  readonly lifted: 'absent' | 'empty';
}

/** The balancer holds a rule (a file with content): the window is closed for design-time writes there. */
export const windowHeld = (b: WindowBalancer): b is WindowBalancer & { readonly rule: WindowRule } =>
  b.rule !== null && b.current !== null && b.current !== EMPTY_CONTENT.sha256;

const base = (host: HostName, id: string, reason: string, after: readonly string[] = []) => ({ id, host, reason, certainty: 'certain' as const, after });
const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

/**
 * Why `--read-only-window` cannot be kept on these balancers, or null. A balancer whose role names no rule
 * (role.yaml `balancer.writeWindow`) is refused, never silently left writable.
 */
export function windowRefusal(balancers: readonly WindowBalancer[]): string | null {
  if (balancers.length === 0) return 'the inventory has no load balancer: nothing in front of blue could refuse design-time writes';
  const without = balancers.filter((b) => b.rule === null);
  if (without.length === 0) return null;
  return `${without.map((b) => `${b.host} (${b.kind})`).join(', ')}: no read-only window rule for this balancer (roles/load-balancer/role.yaml balancer.writeWindow), so blue could not refuse design-time writes there`;
}

/**
 * The rule on every balancer, before the backup. A re-run that finds it in place plans nothing. Returns the steps and
 * what the backup waits for.
 * - runtime (HAProxy): set on the running balancer first, then its file, so a run stopped between the two finds the
 *   file not written yet and sets both again (a file written first would read as done while the balancer takes writes);
 * - else (nginx): the file, then a reload.
 */
export function applyWindowSteps(balancers: readonly WindowBalancer[]): { readonly steps: Step[]; readonly waitFor: string[] } {
  const steps: Step[] = [];
  const waitFor: string[] = [];
  for (const b of balancers) {
    if (!b.rule || b.current === b.rule.sha256) continue;
    const chain = new StepChain(b.host, undefined);
    const upload = { kind: 'upload-file', key: b.rule.dest, path: b.rule.dest, mode: '0644', owner: 'root:root', sha256: b.rule.sha256, expectSha256: b.current, secret: false } as const;
    if (b.rule.runtime) {
      chain.add({ kind: 'balancer-window', key: 'read-only', to: 'read-only', argv: b.rule.runtime, reason: 'read-only window: blue refuses design-time writes from the backup until the switch' });
      chain.add({ ...upload, reason: 'the window as the balancer reads it at its next start or reload' });
    } else {
      chain.add({ kind: 'ensure-dir', key: dirOf(b.rule.dest), paths: [dirOf(b.rule.dest)], mode: '0755', owner: 'root:root', reason: 'holds the read-only window rule nginx.conf includes' });
      chain.add({ ...upload, reason: 'read-only window: blue refuses design-time writes from the backup until the switch' });
      chain.add({ kind: 'reload-component', key: 'write-window', component: 'load-balancer', argv: b.rule.reload, reason: 'applies the rule; connections in flight finish on the old config' });
    }
    steps.push(...chain.steps);
    waitFor.push(...chain.tail);
  }
  return { steps, waitFor };
}

/**
 * The rule lifted on one balancer that holds it, added to its chain (the switch's, or `migrate --abort`'s).
 * - runtime (HAProxy): the running balancer first, then its file (emptied or removed, as the role says), so a run
 *   stopped between the two finds the rule still on file and lifts it again;
 * - else (nginx): the file removed; the rule tests for its own file on every request, so that is enough. A rule an
 *   earlier apim-deploy wrote (other content) may not, and is reloaded away.
 */
export function liftWindow(chain: StepChain, b: WindowBalancer, reason: string): void {
  if (!windowHeld(b)) return;
  const { rule } = b;
  if (rule.runtime) chain.add({ kind: 'balancer-window', key: 'writable', to: 'writable', argv: rule.runtime, reason: `${reason} (runtime API, no reload)` });
  if (rule.lifted === 'empty') {
    chain.add({ kind: 'upload-file', key: rule.dest, path: rule.dest, mode: '0644', owner: 'root:root', sha256: EMPTY_CONTENT.sha256, expectSha256: b.current,
      secret: false, reason: rule.runtime ? 'the window as the balancer reads it at its next start: none (the file stays, empty: the config loads it)' : reason });
  } else {
    chain.add({ kind: 'remove-file', key: rule.dest, path: rule.dest, reason: rule.runtime ? 'the window as the balancer reads it at its next start: none' : `${reason} (the rule tests for its file per request)` });
  }
  if (!rule.runtime && b.current !== rule.sha256) {
    chain.add({ kind: 'reload-component', key: 'write-window', component: 'load-balancer', argv: rule.reload, reason: 'the rule in place predates the self-lifting one: a reload drops it' });
  }
}

/** The rule off every balancer that holds it (`migrate --abort`). */
export function liftWindowSteps(balancers: readonly WindowBalancer[]): Step[] {
  return balancers.flatMap((b) => {
    const chain = new StepChain(b.host, undefined);
    liftWindow(chain, b, 'lifts the read-only window: blue takes design-time writes again');
    return chain.steps;
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
