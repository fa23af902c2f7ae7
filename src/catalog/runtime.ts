import { ConfigError } from '../errors.js';
import type { HealthCheck, HealthPolicy } from '../model/health.js';
import type { DistributionKind, RoleName } from '../model/inventory.js';
import type { BalancerSpec, DatabaseName, HealthCheckSpec, RoleDefinition, SetupStdinSecret, UpgradePolicy, WriteWindowSpec } from '../model/role.js';
import { nodePlaceholders, whenFacts, type RuntimeNode } from './node-placeholders.js';
import { fillArgv, fillPlaceholders, type NodePlaceholders } from './placeholders.js';
import { databasesAt, wso2Variant } from './variants.js';
import { matches } from './when.js';
import { CARBON_PASSWORD_FILES, setupStdinKey, vaultPasswordKey, type StartSecret } from '../model/vault.js';

/** A role's runtime for one node, every placeholder resolved: what the planner turns into steps. */
export interface ResolvedRuntime {
  readonly kind: 'wso2' | 'service';
  readonly role: RoleName;
  readonly dependsOn: readonly RoleName[];
  /** WSO2: the distribution to extract (null for service roles). */
  readonly distribution: DistributionKind | null;
  /** WSO2: the component home the commands use (default `.../current`; pass a release dir to prepare one). */
  readonly home: string | null;
  /** WSO2: the start script (absolute) and its extra args, for a systemd unit or a foreground run. */
  readonly launch: { readonly script: string; readonly args: readonly string[] } | null;
  readonly start: readonly string[];
  readonly stop: readonly string[];
  /** Service roles only (WSO2 config changes need a restart). */
  readonly reload: readonly string[] | null;
  readonly isRunning: readonly string[] | null;
  readonly configTest: readonly string[] | null;
  readonly env: Readonly<Record<string, string>>;
  readonly pidFile: string | null;
  readonly logFile: string;
  /** WSO2: `{ path }` inside the home is a link to `dataPath` (kept across releases). */
  readonly persistentDirs: readonly { readonly path: string; readonly dataPath: string }[];
  readonly packages: readonly string[];
  /** Load balancers: how a rollout drains their servers, commands resolved (null for every other role). */
  readonly balancer: BalancerSpec | null;
  readonly setup: readonly ResolvedSetup[];
  readonly checks: readonly HealthCheck[];
  readonly policy: HealthPolicy;
  /** Every port the node listens on (base ports plus its offset). */
  readonly ports: readonly number[];
  readonly upgrade: UpgradePolicy;
  /** The shared databases it opens at this version (role.yaml `databases`): it gets the JDBC driver. */
  readonly databases: readonly DatabaseName[];
  readonly databaseClient: boolean;
  readonly serviceUser: string;
  readonly serviceGroup: string;
  /**
   * When service_manager is systemd, the unit that starts the node at boot (enabled by the plan): the one
   * apim-deploy writes (WSO2 roles) or the Debian package's (`bootUnit` of service roles); else null.
   */
  readonly systemdUnit: string | null;
  /**
   * WSO2 with secure_vault (not persisted): the file each start we perform writes first (Carbon's password-tmp, 0600,
   * the service user's), its content found in the run's contents under `key`. Null otherwise.
   */
  readonly startSecret: StartSecret | null;
}


export interface ResolvedSetup {
  readonly name: string;
  readonly argv: readonly string[];
  readonly marker: string;
  /** A file to take out of the distribution and upload before running (read by the command). */
  readonly upload: { readonly pathInDistribution: string; readonly remotePath: string } | null;
  /** Absolute paths of rendered files whose change means "run again" (the command is idempotent). */
  readonly rerunWhenChanged: readonly string[];
  /** Runs after the component is healthy instead of before it starts. */
  readonly whileRunning: boolean;
  /** Touches only its release and the JDK: a new release's staging may run it (model/role.ts SetupSpec.inRelease). */
  readonly inRelease: boolean;
  /** A secret the command reads on stdin: the node variable, and where the run's contents hold it. */
  readonly stdin: { readonly secret: SetupStdinSecret; readonly key: string } | null;
}

/** Pure: the role's commands, checks, setup and ports for one node. `opts.home` targets a release dir. */
export function resolveNodeRuntime(role: RoleDefinition, node: RuntimeNode, opts: { home?: string } = {}): ResolvedRuntime {
  const facts = whenFacts(node);
  const runtime = role.runtime;
  const home = runtime.kind === 'wso2' ? (opts.home ?? node.paths.home) : null;
  const variant = runtime.kind === 'wso2' ? wso2Variant(role, node.apimVersion) : undefined;
  const launch = variant && home !== null ? { script: `${home}/${variant.script}`, args: variant.args } : undefined;
  const p = nodePlaceholders(role, node, home, launch);
  const failed = (e: unknown): never => {
    throw new ConfigError(`${role.file}: ${(e as Error).message} (${node.host}/${node.role})`);
  };
  const fill = (s: string, extra: NodePlaceholders['values'] = {}): string => {
    try {
      return fillPlaceholders(s, { ...p, values: { ...p.values, ...extra } });
    } catch (e) {
      return failed(e);
    }
  };
  const argv = (a: readonly string[]): string[] => {
    try {
      return fillArgv(a, p);
    } catch (e) {
      return failed(e);
    }
  };
  const abs = (path: string) => (path.startsWith('/') ? path : `${home}/${path}`);
  const setup = role.setup
    .filter((s) => matches(s.when, facts))
    .map((s): ResolvedSetup => {
      const remoteScript = s.script ? `${node.stateDir}/${node.role}/${node.apimVersion}/${s.script}` : undefined;
      const extra = remoteScript ? { script: remoteScript } : {};
      return {
        name: s.name,
        argv: s.argv.map((a) => fill(a, extra)),
        marker: fill(s.marker),
        upload: s.script && remoteScript ? { pathInDistribution: s.script, remotePath: remoteScript } : null,
        rerunWhenChanged: s.rerunWhenChanged.map((d) => abs(fill(d))),
        whileRunning: s.whileRunning,
        inRelease: s.inRelease,
        stdin: s.stdin ? { secret: s.stdin, key: setupStdinKey(node.host, node.role, s.name) } : null,
      };
    });
  const urlHost = node.address.includes(':') ? `[${node.address}]` : node.address;
  const checks = role.health.checks.filter((c) => matches(c.when, facts)).map((c) => resolveCheck(c, fill, p, (s) => fill(s, { address: urlHost })));
  const common = {
    role: role.name,
    dependsOn: role.dependsOn,
    setup,
    checks,
    policy: role.health.policy,
    ports: Object.values(role.ports).map((port) => port + node.offset),
    upgrade: role.upgrade,
    databases: databasesAt(role, node.apimVersion),
    databaseClient: databasesAt(role, node.apimVersion).length > 0,
    serviceUser: node.vars.service_user,
    serviceGroup: node.vars.service_group,
  };
  if (runtime.kind === 'wso2' && variant && launch) {
    const systemd = node.vars.service_manager === 'systemd';
    const control = runtime.server.control[node.vars.service_manager];
    const env: Record<string, string> = {};
    // A variable that fills to nothing (JAVA_OPTS without jvm_options) is left unset, as the start script expects.
    for (const [name, value] of Object.entries(runtime.server.env)) {
      const filled = fill(value);
      if (filled !== '') env[name] = filled;
    }
    return {
      ...common,
      kind: 'wso2',
      distribution: variant.distribution,
      home,
      launch,
      start: argv(control.start),
      stop: argv(control.stop),
      reload: null,
      isRunning: null,
      configTest: null,
      env,
      pidFile: abs(runtime.pidFile),
      logFile: abs(runtime.logFile),
      persistentDirs: runtime.persistentDirs.map((d) => ({ path: abs(d), dataPath: `${node.paths.dataDir}/${d}` })),
      packages: [],
      balancer: null,
      systemdUnit: systemd ? node.paths.unitName : null,
      startSecret: node.vars.secure_vault && !node.vars.secure_vault_persist_password
        ? { path: abs(CARBON_PASSWORD_FILES.once), owner: `${node.vars.service_user}:${node.vars.service_group}`, key: vaultPasswordKey(node.host, node.role) }
        : null,
    };
  }
  const service = runtime.kind === 'service' ? runtime.variants.find((v) => matches(v.when, facts)) : undefined;
  if (!service) throw new ConfigError(`${role.file}: no runtime variant matches ${node.host}/${node.role} (database ${facts.databaseType})`);
  return {
    ...common,
    kind: 'service',
    distribution: null,
    home: null,
    launch: null,
    start: argv(service.start),
    stop: argv(service.stop),
    reload: argv(service.reload),
    isRunning: argv(service.isRunning),
    configTest: service.configTest ? argv(service.configTest) : null,
    env: {},
    pidFile: null,
    logFile: fill(service.logFile),
    persistentDirs: [],
    packages: service.packages,
    balancer: service.balancer ? {
      drain: service.balancer.drain, state: argv(service.balancer.state),
      ...(service.balancer.set ? { set: argv(service.balancer.set) } : {}), ...(service.balancer.sessions ? { sessions: argv(service.balancer.sessions) } : {}),
      ...(service.balancer.writeWindow ? { writeWindow: windowOf(service.balancer.writeWindow, argv) } : {}),
      ...(service.balancer.switchFlag ? { switchFlag: service.balancer.switchFlag } : {}),
    } : null,
    systemdUnit: node.vars.service_manager === 'systemd' ? (service.bootUnit ?? null) : null,
    startSecret: null,
  };
}

function resolveCheck(c: HealthCheckSpec, fill: (s: string) => string, p: NodePlaceholders, fillUrl: (s: string) => string): HealthCheck {
  switch (c.kind) {
    case 'http':
      // An IPv6 address goes into a URL in brackets.
      return { kind: 'http', url: fillUrl(c.url), expectStatus: c.expectStatus, from: c.from, insecureTls: c.insecureTls, ...(c.bodyContains ? { bodyContains: c.bodyContains } : {}) };
    case 'tcp':
      return { kind: 'tcp', host: fill(c.host), port: p.port(String(c.port)), ...(c.from ? { from: c.from } : {}) };
    case 'log':
      return { kind: 'log', file: fill(c.file), pattern: c.pattern };
    case 'command':
      return { kind: 'command', argv: c.argv.map(fill) };
  }
}

/** The write window as the node runs it: its runtime command's placeholders filled. */
function windowOf(spec: WriteWindowSpec, argv: (a: readonly string[]) => string[]): WriteWindowSpec {
  return spec.runtime ? { ...spec, runtime: argv(spec.runtime) } : spec;
}
