import type { HealthCheck, HealthPolicy } from './health.js';
import type { HostName, NodeRef, RoleName } from './inventory.js';
import type { StartSecret } from './vault.js';

/**
 * Bump when the saved-plan JSON shape changes; `apply plan.json` refuses another format. 2: the sha256s of
 * secret-bearing files and the facts fingerprints are HMACs under the inventory's plan key (`sealedWith`).
 * 3: ensure-dir names its directories in `paths` (a host's directories are one step, one install -d).
 */
export const PLAN_FORMAT = 3;
/** `kind` of a plan JSON document (`plan --json`, `plan --out`), so `--plan FILE` can tell a plan from other JSON. */
export const PLAN_DOCUMENT_KIND = 'apim-deploy-plan';

export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  /** Absolute path of the inventory it was built from. */
  readonly inventory: string;
  readonly apimVersion: string;
  readonly createdAt: string;
  /** Per host, a digest of the facts the plan was computed from; the executor re-checks before mutating. */
  readonly factsFingerprint: Readonly<Record<HostName, string>>;
  /** Per host, the facts behind the fingerprint, one line each, so a refusal can name what changed (absent in older plans). */
  readonly factsRead?: Readonly<Record<HostName, Readonly<Record<string, string>>>>;
  /**
   * Set on a plan that left the process (printed, `--json`, `--out`): the id of the plan key its secret-bearing
   * digests are HMACs under (src/planner/seal-plan.ts). Absent on the plan being executed.
   */
  readonly sealedWith?: string;
  /** In order; steps inside a wave may run in parallel (across hosts), and in list order on one host. */
  readonly waves: readonly Wave[];
  /** Hosts that need nothing, with why ("everything up to date"). */
  readonly unchanged: readonly { readonly host: HostName; readonly reason: string }[];
}

export interface Wave {
  /** 'database', 'control-plane', 'gateway batch 1/3'. */
  readonly label: string;
  readonly steps: readonly Step[];
}

export type Certainty = 'certain' | 'conditional';

interface StepBase {
  /** Stable: `${host}/${kind}/${target}`. */
  readonly id: string;
  readonly host: HostName;
  /** The node (host + role) this step serves, when it serves one. */
  readonly node?: NodeRef;
  /** Why it is needed: "sha256 differs", "not installed", "config changed: restart". */
  readonly reason: string;
  readonly certainty: Certainty;
  /** Step ids this one waits for (in this or an earlier wave). */
  readonly after: readonly string[];
  /**
   * Step ids this one waits to end without depending on them: it runs whatever their outcome (a peer fetch waits for
   * its seed's upload, and falls back to the controller when that failed).
   */
  readonly awaits?: readonly string[];
  /**
   * A host's steps run one after another in plan order, lane by lane: a step of the `transfer` lane (an artifact
   * copied into the host's store) runs beside the host's other steps, which wait for a copy only when they name it
   * in `after`. So the JDK unpacks while the product's archive is still on its way. No lane: the host's main lane.
   */
  readonly lane?: 'transfer';
}

/** Content of uploaded files lives outside the plan (keyed by sha256) so plans stay small and secret-free. */
export interface FileContent {
  readonly sha256: string;
  readonly content: string;
  /** True when the rendered content holds a secret: never printed, never diffed in clear. */
  readonly secret: boolean;
}

/** An empty file: role.yaml `present` files where none is, a write window lifted by emptying its file. */
export const EMPTY_CONTENT: FileContent = { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', content: '', secret: false };

export type Step =
  | (StepBase & {
      readonly kind: 'ensure-dir';
      /** One or more, each made with its parents; the mode and owner go on each one named. */
      readonly paths: readonly string[];
      readonly mode: string;
      readonly owner: string;
    })
  | (StepBase & {
      readonly kind: 'upload-file';
      readonly path: string;
      readonly mode: string;
      readonly owner: string;
      readonly sha256: string;
      /** sha256 seen on the host when planning; null = absent. The executor re-checks it. */
      readonly expectSha256: string | null;
      readonly secret: boolean;
    })
  | (StepBase & {
      readonly kind: 'upload-artifact';
      /** Controller-side file (distribution zip, JDK tarball). */
      readonly localPath: string;
      readonly path: string;
      readonly sha256: string;
      readonly size: number;
      /** Defaults: '0644', the connecting user. */
      readonly mode?: string;
      readonly owner?: string;
      /**
       * The host had no file at `path` when planned: apply uploads without hashing the path first. At worst (a copy
       * put there since, by a run that held the lock before this one) it replaces that copy with the same bytes.
       */
      readonly absentWhenPlanned?: true;
    })
  | (StepBase & {
      /**
       * An artifact copied from a host of the same datacenter that the controller uploaded it to (the seed), instead
       * of across the controller's link; the fields of upload-artifact are the fallback when the peer copy fails.
       */
      readonly kind: 'peer-fetch';
      readonly localPath: string;
      readonly path: string;
      readonly sha256: string;
      readonly size: number;
      readonly mode?: string;
      readonly absentWhenPlanned?: true;
      readonly from: PeerSource;
    })
  | (StepBase & {
      readonly kind: 'extract-archive';
      readonly archive: string;
      /** Release directory; the archive's single top directory is stripped. */
      readonly dest: string;
      readonly format: 'zip' | 'tar.gz';
      /** `user` or `user:group` given the extracted tree (the service user writes logs, tmp and its PID file there). */
      readonly owner?: string;
    })
  | (StepBase & { readonly kind: 'link'; readonly path: string; readonly target: string })
  | (StepBase & {
      /** From the host to the controller (a migration's backups): `localPath` is absolute, on the controller. */
      readonly kind: 'fetch-file';
      readonly path: string;
      readonly localPath: string;
    })
  | (StepBase & {
      readonly kind: 'run-once';
      readonly name: string;
      readonly argv: readonly string[];
      /** Written after success; the step is skipped while it exists. */
      readonly marker: string;
      /**
       * Read-only: exits 0 when the action's own record says it is done (written atomically with the action, e.g. in
       * the same database transaction). Consulted when the marker is absent: a run stopped between the action's
       * commit and the marker writes the marker and skips, instead of repeating a committed action.
       */
      readonly doneCheck?: readonly string[];
      readonly env?: Readonly<Record<string, string>>;
      /** The run's contents under this key go to the command's stdin (a password that must reach no file, no argv). */
      readonly stdinKey?: string;
    })
  | (StepBase & {
      readonly kind: 'start-component';
      readonly component: RoleName;
      readonly argv: readonly string[];
      readonly env: Readonly<Record<string, string>>;
      readonly pidFile?: string;
      /** Written (0600) just before the start, from the run's contents under `key` (secure vault's password-tmp). */
      readonly secretFile?: StartSecret;
    })
  | (StepBase & {
      readonly kind: 'stop-component';
      readonly component: RoleName;
      readonly argv: readonly string[];
      /** The start script's environment: its `stop` checks JAVA_HOME before it reads the PID file. */
      readonly env?: Readonly<Record<string, string>>;
      readonly pidFile?: string;
      readonly graceMs: number;
    })
  | (StepBase & { readonly kind: 'reload-component'; readonly component: RoleName; readonly argv: readonly string[] })
  | (StepBase & { readonly kind: 'remove-file'; readonly path: string })
  | (StepBase & {
      readonly kind: 'wait-healthy';
      readonly component: RoleName;
      readonly checks: readonly HealthCheck[];
      readonly policy: HealthPolicy;
      /** Tail of this file is shown when the deadline passes. */
      readonly logFile?: string;
    })
  | (StepBase & {
      readonly kind: 'drain';
      readonly component: RoleName;
      /** Host of the load balancer. */
      readonly via: HostName;
      readonly undrain: boolean;
      /** Node address and ports as the load balancer reaches them; drain waits for those connections to end. */
      readonly address?: string;
      readonly ports?: readonly number[];
      /** Upper bound on the wait for in-flight connections (default 30 s); a warning when it passes. */
      readonly graceMs?: number;
      /** The balancer counts requests in flight per server (`balancer.sessions`): wait for those of `servers` to end instead of connections. */
      readonly sessions?: { readonly argv: readonly string[]; readonly servers: readonly string[] };
    })
  | (StepBase & {
      /** On a balancer host: change its servers' state through its runtime API (roles/load-balancer `balancer.set`). */
      readonly kind: 'balancer-set';
      readonly to: BalancerServerState;
      /** The balancer's `set` command; `to` and the servers are appended. */
      readonly argv: readonly string[];
      /** `<upstream>/<address>:<port>` of the node's servers. */
      readonly servers: readonly string[];
    })
  | (StepBase & {
      /**
       * On a balancer host: `migrate --read-only-window` set (`read-only`) or lifted (`writable`) through its runtime
       * API (roles/load-balancer `balancer.writeWindow.runtime`, `to` appended): no reload, no connection closed.
       */
      readonly kind: 'balancer-window';
      readonly to: 'read-only' | 'writable';
      readonly argv: readonly string[];
    })
  | (StepBase & {
      /** On a balancer host: wait until the balancer itself would route to every server of the node. */
      readonly kind: 'wait-routable';
      /** `node`: whose server it is, when the step waits for several nodes (the gate at the end of a plan). */
      readonly servers: readonly { readonly id: string; readonly address: string; readonly port: number; readonly node?: NodeRef }[];
      /** The balancer's `state` command; a server it reports without health (`-`) is checked by connecting from the host. */
      readonly state: readonly string[] | null;
      readonly timeoutMs: number;
      /**
       * Servers the balancer's state reports held out (maint, drain: a drained node, a migration's other side) are not
       * waited for: the gate at the end of a plan (planner/balancer-gate.ts), which puts nothing back in service. A
       * rollout's own gate waits.
       */
      readonly skipHeldOut?: boolean;
    });

/** The seed of a peer fetch, as the receiving host reaches it. */
export interface PeerSource {
  readonly host: HostName;
  readonly address: string;
  /** The seed's sshd port (the inventory's, else 22). */
  readonly port: number;
  /** The receiving host's own address: the one-shot key is honoured only from there (`from=`); absent when not an IP. */
  readonly receiverAddress?: string;
}

/** `maint`: no traffic at all; `probe`: health-checked by the balancer, no traffic yet; `ready`: in service. */
export type BalancerServerState = 'maint' | 'probe' | 'ready';

export type StepKindName = Step['kind'];
export type StepOf<K extends StepKindName> = Extract<Step, { kind: K }>;

export type StepStatus = 'ok' | 'changed' | 'unchanged' | 'failed' | 'blocked' | 'skipped' | 'rolled-back';
