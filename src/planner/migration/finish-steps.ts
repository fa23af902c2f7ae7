/**
 * `migrate --finish`'s steps on blue's hosts and the database host, after the switch: every blue WSO2 node stopped,
 * its boot unit disabled, its installation removed; then the migration marked finished on the database host. Pure:
 * the rendered blue nodes in, steps out (the dry run prints them, the run executes them).
 */
import type { HostName } from '../../model/inventory.js';
import type { Step } from '../../model/plan.js';
import { InternalError } from '../../errors.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { artifactsDir, jdkDir } from '../desired-state.js';

/** How long a blue node gets to stop (as a restart gives a WSO2 node). */
const STOP_GRACE_MS = 60_000;
const SYSTEMD_DIR = '/etc/systemd/system';

const base = (host: HostName, id: string, reason: string, after: readonly string[] = []) => ({ id, host, reason, certainty: 'certain' as const, after });

/**
 * What apim-deploy made under a host's install directory for its WSO2 nodes: each role's directory (releases,
 * `current`, data, wso2.env), the JDK's, and the uploaded artifacts. Nothing else: `install_dir` may be a directory
 * other software shares (`/opt`), so finish removes these and then the install directory only if it is left empty.
 */
export function installedPaths(installDir: string, roleDirs: readonly string[]): string[] {
  const paths = [...new Set([...roleDirs, jdkDir(installDir), artifactsDir(installDir)])];
  const outside = paths.filter((p) => !p.startsWith(`${installDir.replace(/\/+$/, '')}/`));
  if (outside.length > 0) throw new InternalError(`finish would remove ${outside.join(', ')}, outside ${installDir}`);
  return paths;
}

/**
 * One blue host: stop each WSO2 node, then one command that disables and deletes the units apim-deploy wrote,
 * removes what apim-deploy installed under the install directory (installedPaths) and the directory itself if that
 * left it empty. Its marker lives outside what it removes, so a re-run skips it; a stop of a node already gone is a
 * no-op for the role's stop command.
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
  const paths = installedPaths(installDir, nodes.map((n) => n.context.paths.roleDir));
  steps.push({ ...base(host, `${host}/run-once/migrate-remove-blue`, `migrate --finish: remove blue's installation (${paths.join(', ')}${units.length ? `, ${units.join(', ')}` : ''}; ${installDir} if then empty)`, steps.map((s) => s.id)),
    kind: 'run-once', name: 'remove blue', argv: removalArgv(installDir, units, paths), marker: `${stateDir}/blue-removed` });
  return steps;
}

/**
 * `sh -c` with its values as arguments, never in the script: $1 the install directory, then the unit names (written by
 * apim-deploy under /etc/systemd/system), `--`, then the paths to remove.
 */
export function removalArgv(installDir: string, units: readonly string[], paths: readonly string[]): string[] {
  const script = 'd="$1"; shift; n=0; '
    + `while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do systemctl disable "$1" >/dev/null 2>&1 || true; rm -f -- "${SYSTEMD_DIR}/$1"; n=1; shift; done; `
    + '[ "$n" -eq 0 ] || systemctl daemon-reload || true; [ "$#" -eq 0 ] || shift; '
    + 'for p in "$@"; do rm -rf -- "$p"; done; rmdir -- "$d" 2>/dev/null || true';
  return ['sh', '-c', script, 'sh', installDir, ...units, '--', ...paths];
}

/** The database host: the migration marked finished (`completed` says how), after every other finish step. */
export function markFinishedStep(databaseHost: HostName, migrationDir: string, after: readonly string[]): Step {
  return { ...base(databaseHost, `${databaseHost}/run-once/migrate-finished`, 'migrate --finish: blue removed, green is the deployment', after),
    kind: 'run-once', name: 'mark the migration finished', argv: ['touch', '--', `${migrationDir}/completed`], marker: `${migrationDir}/finished` };
}
