import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { resolveNodeRuntime, type ResolvedRuntime, type ResolvedSetup } from '../catalog/runtime.js';
import { InternalError } from '../errors.js';
import type { HostName, HostSpec, NodeRef } from '../model/inventory.js';
import { SEALED_PREFIX } from '../model/seal.js';
import type { PresentFile, RenderedFile, RenderedNode } from '../render/render-inventory.js';
import { fileInRelease, releaseHome, releaseId } from '../topology/layout.js';
import { verbatimDropIns } from './drop-in-artifacts.js';
import type { DesiredInputs, LocalArtifact } from './inputs.js';

/** A file as it must be on the host: rendered content at its final remote path. */
export interface DesiredFile {
  readonly path: string;
  /** sha256 of the file as the distribution ships it, for files inside a release; null when it ships none. */
  readonly packSha256: string | null;
  readonly sha256: string;
  readonly mode: string;
  readonly owner: string;
  readonly secret: boolean;
  readonly onChange: RenderedFile['onChange'];
}

export interface DesiredRelease {
  readonly id: string;
  /** The release directory the archive unpacks into. */
  readonly dir: string;
  /** The `current` link that must point at `dir`. */
  readonly link: string;
  /** Remote path of the uploaded archive. */
  readonly archive: string;
  readonly format: 'zip' | 'tar.gz';
}

export interface DesiredNode {
  readonly node: NodeRef;
  readonly kind: 'wso2' | 'service';
  /** Commands, checks and PID file through `current`: what runs. */
  readonly runtime: ResolvedRuntime;
  /** Setup commands and persistent links resolved inside the release dir (prepared before `current` moves). */
  readonly releaseRuntime: ResolvedRuntime;
  readonly release: DesiredRelease | null;
  readonly files: readonly DesiredFile[];
  /** Absolute paths that must not exist (role.yaml `absent`): removed where found. */
  readonly absent: readonly string[];
  /** Files that must exist, their content not the role's (role.yaml `present`): created empty where missing. */
  readonly present: readonly PresentFile[];
  /** Setup that needs the component stopped and its files in place (KM profile), or running (database). */
  readonly setup: readonly ResolvedSetup[];
  /** Controller files placed inside the release as they are (the JDBC driver in repository/components/lib). */
  readonly libs: readonly DesiredArtifact[];
}

export interface DesiredArtifact {
  readonly artifact: LocalArtifact;
  readonly path: string;
  /** Drop-in files (`files:`) carry their own; else '0644' and the node's service user. */
  readonly mode?: string;
  readonly owner?: string;
}

export interface DesiredHost {
  readonly host: HostSpec;
  readonly installDir: string;
  readonly artifacts: readonly DesiredArtifact[];
  readonly jdk: (DesiredRelease & { readonly artifact: LocalArtifact }) | null;
  /** Service users WSO2 nodes run as, `user:group`. */
  readonly serviceUsers: readonly { readonly user: string; readonly group: string }[];
  readonly dirs: readonly string[];
  readonly nodes: readonly DesiredNode[];
}

/** Where a node that opens the shared databases (role.yaml `databaseClient`) gets `apim.jdbc_driver`. */
export const JDBC_DRIVER_DIR = 'repository/components/lib';

/** An archive is unpacked as what its bytes are; a plain file (a jar) is never unpacked. */
function archiveFormat(a: LocalArtifact): 'zip' | 'tar.gz' {
  if (a.format === 'file') throw new InternalError(`${a.localPath} is not an archive, yet a release unpacks it`);
  return a.format;
}
export const artifactsDir = (installDir: string): string => `${installDir}/.artifacts`;
/** Where the JDK's releases and its `current` link live on a host with WSO2 nodes. */
export const jdkDir = (installDir: string): string => `${installDir}/jdk`;
/**
 * Where an uploaded artifact lives on a host: one directory per kind, so two distributions whose files share a
 * name (dist-a/wso2am.zip, dist-b/wso2am.zip) never overwrite each other, nor share a key in the plan.
 */
export const artifactPath = (installDir: string, a: LocalArtifact): string => `${artifactsDir(installDir)}/${a.key}/${a.fileName}`;

function artifactFor(inputs: DesiredInputs, key: LocalArtifact['key'], node: NodeRef): LocalArtifact {
  const a = inputs.artifacts[key];
  if (!a) throw new InternalError(`no local artifact "${key}" was prepared for ${node.host}/${node.role}`);
  return a;
}

function desiredFiles(rendered: RenderedNode, release: DesiredRelease | null, packDefaults: DesiredInputs['packDefaults']): DesiredFile[] {
  const shipped = (dest: string): string | null =>
    release && rendered.runtime.distribution && !dest.startsWith('/') ? (packDefaults.get(`${rendered.runtime.distribution}:${dest}`) ?? null) : null;
  return rendered.files.map((f) => ({
    path: release ? fileInRelease(f, release.dir) : f.path,
    packSha256: shipped(f.dest),
    sha256: f.sha256,
    mode: f.mode,
    owner: `${f.owner}:${f.group}`,
    secret: f.secret,
    onChange: f.onChange,
  }));
}

/**
 * A setup whose `rerunWhenChanged` files change gets a new marker, so it runs again (its command is idempotent).
 * The marker's name is a file name on the host: when a file it depends on holds a secret (the database setup SQL),
 * its digest is keyed (inputs.seal), so the name cannot be used to test password guesses.
 */
function withContentMarkers(setup: readonly ResolvedSetup[], files: readonly DesiredFile[], seal: DesiredInputs['seal']): ResolvedSetup[] {
  return setup.map((s) => {
    if (s.rerunWhenChanged.length === 0) return s;
    const watched = s.rerunWhenChanged.map((path) => ({ path, file: files.find((f) => f.path === path) }));
    const text = watched.map((w) => `${w.path}=${w.file?.sha256 ?? ''}\n`).join('');
    const digest = watched.some((w) => w.file?.secret)
      ? seal.digest('marker', text).slice(SEALED_PREFIX.length)
      : createHash('sha256').update(text).digest('hex');
    return { ...s, marker: `${s.marker}.${digest.slice(0, 12)}` };
  });
}

/** Files a setup command reads from the distribution (dbscripts), uploaded like rendered files. */
function setupFiles(setup: readonly ResolvedSetup[], inputs: DesiredInputs, node: NodeRef): DesiredFile[] {
  return setup.flatMap((s) => {
    if (!s.upload) return [];
    const content = inputs.distributionFiles.get(s.upload.pathInDistribution);
    if (!content) throw new InternalError(`${node.host}/${node.role}: ${s.upload.pathInDistribution} was not read from the distribution`);
    return [{ path: s.upload.remotePath, packSha256: null, sha256: content.sha256, mode: '0644', owner: 'root:root', secret: false, onChange: 'none' as const }];
  });
}

function desiredNode(inputs: DesiredInputs, rendered: RenderedNode): DesiredNode {
  const role = inputs.catalog[rendered.role];
  const runtime = rendered.runtime;
  if (runtime.kind === 'service' || runtime.distribution === null) {
    const files = [...desiredFiles(rendered, null, inputs.packDefaults), ...setupFiles(runtime.setup, inputs, rendered.node)];
    return { node: rendered.node, kind: 'service', runtime, releaseRuntime: runtime, release: null, files, absent: rendered.absent, present: rendered.present, setup: withContentMarkers(runtime.setup, files, inputs.seal), libs: [] };
  }
  const artifact = artifactFor(inputs, runtime.distribution, rendered.node);
  const paths = rendered.context.paths;
  const id = releaseId(inputs.inventory.apim.version, artifact.sha256);
  const release: DesiredRelease = {
    id,
    dir: releaseHome(paths, id),
    link: paths.home,
    archive: artifactPath(rendered.context.vars.install_dir, artifact),
    format: archiveFormat(artifact),
  };
  const releaseRuntime = resolveNodeRuntime(role, rendered.context, { home: release.dir });
  const files = [...desiredFiles(rendered, release, inputs.packDefaults), ...setupFiles(releaseRuntime.setup, inputs, rendered.node)];
  const driver = runtime.databaseClient ? inputs.artifacts['jdbc-driver'] : undefined;
  const libs = [...(driver ? [{ artifact: driver, path: `${release.dir}/${JDBC_DRIVER_DIR}/${driver.fileName}` }] : []), ...verbatimDropIns(inputs, rendered, release)];
  return { node: rendered.node, kind: 'wso2', runtime, releaseRuntime, release, files, absent: rendered.absent, present: rendered.present, setup: withContentMarkers(releaseRuntime.setup, files, inputs.seal), libs };
}

/** Per host: what must be there. Pure: from the inventory, its rendered nodes and the local artifacts. */
export function desiredState(inputs: DesiredInputs): DesiredHost[] {
  return inputs.inventory.hosts.map((host): DesiredHost => {
    const rendered = inputs.rendered.filter((r) => r.host === host.name);
    const nodes = rendered.map((r) => desiredNode(inputs, r));
    const wso2 = rendered.filter((r) => r.runtime.kind === 'wso2');
    const installDir = rendered[0]?.context.vars.install_dir ?? '/opt/wso2';
    const artifacts = new Map<string, DesiredArtifact>();
    let jdk: DesiredHost['jdk'] = null;
    if (wso2.length > 0) {
      const jdkArtifact = artifactFor(inputs, 'jdk', wso2[0]!.node);
      const jdkId = jdkArtifact.fileName.replace(/\.(tar\.gz|tgz|zip)$/, '') + `-${jdkArtifact.sha256.slice(0, 8)}`;
      const path = artifactPath(installDir, jdkArtifact);
      artifacts.set(path, { artifact: jdkArtifact, path });
      jdk = { id: jdkId, dir: `${jdkDir(installDir)}/releases/${jdkId}`, link: `${jdkDir(installDir)}/current`, archive: path, format: archiveFormat(jdkArtifact), artifact: jdkArtifact };
    }
    for (const n of nodes) {
      if (n.release) artifacts.set(n.release.archive, { artifact: artifactFor(inputs, n.runtime.distribution!, n.node), path: n.release.archive });
    }
    const users = new Map(wso2.map((r) => [`${r.runtime.serviceUser}:${r.runtime.serviceGroup}`, { user: r.runtime.serviceUser, group: r.runtime.serviceGroup }]));
    const dirs = new Set<string>();
    if (wso2.length > 0) {
      dirs.add(artifactsDir(installDir));
      dirs.add(`${jdkDir(installDir)}/releases`);
    }
    for (const a of artifacts.values()) dirs.add(posix.dirname(a.path));
    for (const n of nodes) {
      if (n.release) dirs.add(posix.dirname(n.release.dir));
      // Nor in a persistent data dir: the fresh release's copy moves there first (node-steps.ts), unless it exists.
      const persisted = (dir: string) => n.releaseRuntime.persistentDirs.some((d) => dir === d.dataPath || dir.startsWith(`${d.dataPath}/`));
      for (const f of [...n.files, ...n.libs]) if ((!n.release || !f.path.startsWith(`${n.release.dir}/`)) && !persisted(posix.dirname(f.path))) dirs.add(posix.dirname(f.path));
      // Not inside a release: the stage wave would create the release dir before its unpack, which then skips it.
      const outsideRelease = (path: string) => !n.release || !path.startsWith(`${n.release.dir}/`);
      for (const s of n.setup) {
        if (outsideRelease(s.marker)) dirs.add(posix.dirname(s.marker));
        if (s.upload && outsideRelease(s.upload.remotePath)) dirs.add(posix.dirname(s.upload.remotePath));
      }
    }
    return { host, installDir, artifacts: [...artifacts.values()], jdk, serviceUsers: [...users.values()], dirs: [...dirs].sort(), nodes };
  });
}

export function hostOf(hosts: readonly DesiredHost[], name: HostName): DesiredHost | undefined {
  return hosts.find((h) => h.host.name === name);
}
