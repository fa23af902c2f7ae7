/**
 * `migrate --finish`'s steps on blue's hosts and the database host, after the switch: every blue WSO2 node stopped,
 * its boot unit disabled, its installation removed; then the migration marked finished on the database host. Pure:
 * the rendered blue nodes in, steps out (the dry run prints them, the run executes them).
 */
import type { HostName } from '../../model/inventory.js';
import type { Step } from '../../model/plan.js';
import type { RenderedNode } from '../../render/render-inventory.js';

/** How long a blue node gets to stop (as a restart gives a WSO2 node). */
const STOP_GRACE_MS = 60_000;
const SYSTEMD_DIR = '/etc/systemd/system';

const base = (host: HostName, id: string, reason: string, after: readonly string[] = []) => ({ id, host, reason, certainty: 'certain' as const, after });

/**
 * One blue host: stop each WSO2 node, then one command that disables and deletes the units apim-deploy wrote and
 * removes the install directory (releases, JDK, current links). Its marker lives outside what it removes, so a
 * re-run skips it; a stop of a node already gone is a no-op for the role's stop command.
 */
export function blueRemovalSteps(host: HostName, nodes: readonly RenderedNode[], stateDir: string): Step[] {
  const steps: Step[] = [];
  for (const n of nodes) {
    const rt = n.runtime;
    steps.push({ ...base(host, `${host}/stop-component/${n.role}`, 'migrate --finish: blue takes no traffic since the switch'), node: n.node,
      kind: 'stop-component', component: n.role, argv: rt.stop, env: rt.env, ...(rt.pidFile ? { pidFile: rt.pidFile } : {}), graceMs: STOP_GRACE_MS });
  }
  const installDir = nodes[0]?.context.vars.install_dir ?? '/opt/wso2';
  const units = nodes.flatMap((n) => (n.runtime.systemdUnit ? [n.runtime.systemdUnit] : []));
  // $1: the install directory; the rest: unit names (written by apim-deploy under /etc/systemd/system).
  const script = `d="$1"; shift; for u in "$@"; do systemctl disable "$u" >/dev/null 2>&1 || true; rm -f -- "${SYSTEMD_DIR}/$u"; done; `
    + `[ "$#" -eq 0 ] || systemctl daemon-reload || true; rm -rf -- "$d"`;
  steps.push({ ...base(host, `${host}/run-once/migrate-remove-blue`, `migrate --finish: remove blue's installation (${installDir}${units.length ? `, ${units.join(', ')}` : ''})`, steps.map((s) => s.id)),
    kind: 'run-once', name: 'remove blue', argv: ['sh', '-c', script, 'sh', installDir, ...units], marker: `${stateDir}/blue-removed` });
  return steps;
}

/** The database host: the migration marked finished (`completed` says how), after every other finish step. */
export function markFinishedStep(databaseHost: HostName, migrationDir: string, after: readonly string[]): Step {
  return { ...base(databaseHost, `${databaseHost}/run-once/migrate-finished`, 'migrate --finish: blue removed, green is the deployment', after),
    kind: 'run-once', name: 'mark the migration finished', argv: ['touch', '--', `${migrationDir}/completed`], marker: `${migrationDir}/finished` };
}
