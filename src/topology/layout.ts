import type { RoleName } from '../model/inventory.js';

/**
 * Where things live on a host.
 *
 *   {install_dir}/<role>/releases/<version>-<sha8>/   one extracted distribution per release
 *   {install_dir}/<role>/current -> releases/<id>      what runs (the start script is called through it)
 *   {install_dir}/<role>/data/<dir>                    persistent dirs (deployed artifacts, tenants, logs, H2,
 *                                                      solr), linked into every release so upgrades keep them
 *   {install_dir}/<role>/wso2.env                      JAVA_HOME / JVM_MEM_OPTS for the start script and systemd
 *   {install_dir}/jdk/current                          the JDK (default java_home)
 *
 * Rendered WSO2 configs belong to the release they were rendered for: the provisioner writes them into
 * `releases/<id>/<dest>` *before* switching `current` (so an upgrade's stop-switch-start window holds no
 * uploads, and a rollback that links back to the old release gets the old, matching config). RenderedFile.path
 * shows them under `current/` (the running release), which is also what `status` compares against;
 * `fileInRelease()` gives the path inside a given release.
 */
export { STATE_DIR } from '../model/state-dir.js';

export interface RolePaths {
  readonly roleDir: string;
  readonly home: string;
  readonly releasesDir: string;
  readonly dataDir: string;
  readonly envFile: string;
  /** systemd unit name, e.g. wso2am-gateway.service. */
  readonly unitName: string;
}

export function rolePaths(installDir: string, role: RoleName): RolePaths {
  const roleDir = `${installDir.replace(/\/+$/, '')}/${role}`;
  return {
    roleDir,
    home: `${roleDir}/current`,
    releasesDir: `${roleDir}/releases`,
    dataDir: `${roleDir}/data`,
    envFile: `${roleDir}/wso2.env`,
    unitName: `wso2am-${role}.service`,
  };
}

/** Release directory name: the version plus the first 8 hex digits of the distribution's sha256. */
export function releaseId(version: string, distributionSha256: string): string {
  return `${version}-${distributionSha256.slice(0, 8).toLowerCase()}`;
}

export function releaseHome(paths: RolePaths, id: string): string {
  return `${paths.releasesDir}/${id}`;
}

/** Join a role.yaml dest onto a component home; absolute dests stay as they are. */
export function destPath(home: string | null, dest: string): string {
  if (dest.startsWith('/')) return dest;
  if (home === null) throw new Error(`relative dest "${dest}" for a role without a component home`);
  return `${home}/${dest}`;
}

/** Where a WSO2 file goes inside a given release directory (configs are written there before `current` moves). */
export function fileInRelease(file: { readonly dest: string }, releaseHome: string): string {
  return file.dest.startsWith('/') ? file.dest : `${releaseHome}/${file.dest}`;
}
