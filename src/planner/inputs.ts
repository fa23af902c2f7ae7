import type { DistributionKind, HostName, Inventory } from '../model/inventory.js';
import type { FileContent } from '../model/plan.js';
import type { ContentSeal } from '../model/seal.js';
import type { HostFacts } from '../facts/index.js';
import type { RoleCatalog } from '../catalog/roles.js';
import type { RenderedNode } from '../render/render-inventory.js';

/** Controller-side files a run may push: distributions, the JDK and the JDBC driver (`apim.jdbc_driver`). */
export type ArtifactKey = DistributionKind | 'jdk' | 'jdbc-driver';
/** A verbatim drop-in file (`files:`), hashed like an artifact but keyed by its path (DesiredInputs.dropIns). */
export type LocalFileKey = ArtifactKey | 'drop-in';

/** A controller-side file to push: a distribution zip, the JDK tarball or the JDBC driver, hashed once per run. */
export interface LocalArtifact {
  readonly key: LocalFileKey;
  readonly localPath: string;
  readonly fileName: string;
  /** What the bytes are (read from them, not from the name): an archive to unpack, or a file placed as it is. */
  readonly format: 'zip' | 'tar.gz' | 'file';
  readonly sha256: string;
  readonly size: number;
}

/** What the planner knows about one host right now: the batched probe plus service states. */
export interface HostState {
  readonly facts: HostFacts;
  /** Service roles (nginx, PostgreSQL): whether `isRunning` exited 0. */
  readonly serviceRunning: Readonly<Partial<Record<string, boolean>>>;
}

/** What each host must hold, before anything is read from the hosts: the desired state's inputs. */
export interface DesiredInputs {
  readonly inventory: Inventory;
  /** The role definitions the nodes were rendered from (loaded by the workflow). */
  readonly catalog: RoleCatalog;
  readonly rendered: readonly RenderedNode[];
  readonly artifacts: Readonly<Partial<Record<ArtifactKey, LocalArtifact>>>;
  /** Files taken out of a distribution for setup commands (dbscripts), by path inside the distribution. */
  readonly distributionFiles: ReadonlyMap<string, FileContent>;
  /**
   * sha256 of the files WSO2 nodes render as their distribution ships them, keyed `<distribution>:<dest>`: what a
   * release holds right after unpacking, so a plan made before the unpack expects exactly that.
   */
  readonly packDefaults: ReadonlyMap<string, string>;
  /** Verbatim drop-in files (`files:`) by controller path, hashed; absent where no node holds any. */
  readonly dropIns?: ReadonlyMap<string, LocalArtifact>;
  /** Keys every digest of secret-bearing content that leaves the process (marker names; plans: seal-plan.ts). */
  readonly seal: ContentSeal;
}

/** Everything the pure planner needs. The workflow gathers it; the planner never touches disk or network. */
export interface PlanInputs extends DesiredInputs {
  readonly state: ReadonlyMap<HostName, HostState>;
  /** Overrides every role's health deadline (`--health-timeout`), e.g. for a quick failure in a lab. */
  readonly healthTimeoutMs?: number;
  /** false (`--no-peer-copy`): every host gets its artifacts from the controller (planner/peer-copy.ts). */
  readonly peerCopy?: boolean;
  /** ISO time stamp for the plan (injected so plans are reproducible in tests). */
  readonly now: string;
}
