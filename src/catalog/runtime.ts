import { ConfigError } from '../errors.js';
import type { HealthCheck, HealthPolicy } from '../model/health.js';
import type { DistributionKind, RoleName } from '../model/inventory.js';
import type { RoleDefinition, UpgradePolicy, Wso2Variant } from '../model/role.js';
import type { NodeContext } from '../topology/types.js';
import { fillPlaceholders, type PlaceholderValues } from './placeholders.js';
import { satisfies } from './semver.js';
import { matches, type WhenFacts } from './when.js';

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
  readonly setup: readonly ResolvedSetup[];
  readonly checks: readonly HealthCheck[];
  readonly policy: HealthPolicy;
  readonly ports: readonly number[];
  readonly upgrade: UpgradePolicy;
  readonly serviceUser: string;
  readonly serviceGroup: string;
  /** systemd unit name when service_manager is systemd (WSO2 roles), else null. */
  readonly systemdUnit: string | null;
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
}

export function whenFacts(ctx: NodeContext): WhenFacts {
  return { apimVersion: ctx.apimVersion, databaseType: ctx.vars.database.type, serviceManager: ctx.vars.serviceManager };
}

/** The start variant for an APIM version: the first whose range matches, else a ConfigError. */
export function wso2Variant(role: RoleDefinition, apimVersion: string): Wso2Variant {
  if (role.runtime.kind !== 'wso2') throw new Error(`${role.name} is not a WSO2 role`);
  const v = role.runtime.variants.find((x) => satisfies(apimVersion, x.versions));
  if (!v) {
    const ranges = role.runtime.variants.map((x) => x.versions).join(' | ');
    throw new ConfigError(`role ${role.name} has no start variant for APIM ${apimVersion} (supported: ${ranges})`, [], 'Set apim.version to a supported version.');
  }
  return v;
}

export function placeholderValues(ctx: NodeContext, home: string | null): PlaceholderValues {
  const db = ctx.vars.database;
  return {
    address: ctx.address,
    ...(home === null ? {} : { home }),
    role: ctx.role,
    role_dir: ctx.paths.roleDir,
    install_dir: ctx.vars.installDir,
    state_dir: ctx.stateDir,
    service_user: ctx.vars.serviceUser,
    service_group: ctx.vars.serviceGroup,
    java_home: ctx.vars.javaHome,
    unit: ctx.paths.unitName,
    'database.apim_db': db.apimDb,
    'database.shared_db': db.sharedDb,
    'database.user': db.user,
  };
}

/** Pure: the role's commands, checks, setup and ports for one node. `opts.home` targets a release dir. */
export function resolveNodeRuntime(role: RoleDefinition, ctx: NodeContext, opts: { home?: string } = {}): ResolvedRuntime {
  const facts = whenFacts(ctx);
  const wso2 = role.runtime.kind === 'wso2';
  const home = wso2 ? (opts.home ?? ctx.paths.home) : null;
  const values = placeholderValues(ctx, home);
  const fill = (s: string, extra: PlaceholderValues = {}) => {
    try {
      return fillPlaceholders(s, { ...values, ...extra }, ctx.offset);
    } catch (e) {
      throw new ConfigError(`${role.file}: ${(e as Error).message} (${ctx.host}/${ctx.role})`);
    }
  };
  const abs = (p: string) => (p.startsWith('/') ? p : `${home}/${p}`);
  const setup = role.setup
    .filter((s) => matches(s.when, facts))
    .map((s): ResolvedSetup => {
      const remoteScript = s.script ? `${ctx.stateDir}/${ctx.role}/${ctx.apimVersion}/${s.script}` : undefined;
      const extra: PlaceholderValues = remoteScript ? { script: remoteScript } : {};
      return {
        name: s.name,
        argv: s.argv.map((a) => fill(a, extra)),
        marker: fill(s.marker),
        upload: s.script && remoteScript ? { pathInDistribution: s.script, remotePath: remoteScript } : null,
        rerunWhenChanged: s.rerunWhenChanged.map((d) => abs(fill(d))),
        whileRunning: s.whileRunning,
      };
    });
  const checks = role.health.checks.filter((c) => matches(c.when, facts)).map((c) => resolveCheck(c, fill, ctx.offset));
  const common = {
    role: role.name,
    dependsOn: role.dependsOn,
    setup,
    checks,
    policy: role.health.policy,
    ports: role.ports.map((p) => p + ctx.offset),
    upgrade: role.upgrade,
    serviceUser: ctx.vars.serviceUser,
    serviceGroup: ctx.vars.serviceGroup,
  };
  if (role.runtime.kind === 'wso2') {
    const v = wso2Variant(role, ctx.apimVersion);
    const script = `${home}/${v.script}`;
    const systemd = ctx.vars.serviceManager === 'systemd';
    const asUser = ['runuser', '-u', ctx.vars.serviceUser, '--'];
    return {
      ...common,
      kind: 'wso2',
      distribution: v.distribution,
      home,
      launch: { script, args: v.args },
      start: systemd ? ['systemctl', 'start', ctx.paths.unitName] : [...asUser, script, ...v.args, 'start'],
      stop: systemd ? ['systemctl', 'stop', ctx.paths.unitName] : [...asUser, script, 'stop'],
      reload: null,
      isRunning: null,
      configTest: null,
      env: { JAVA_HOME: ctx.vars.javaHome, JVM_MEM_OPTS: ctx.wso2?.jvmMemOpts ?? '' },
      pidFile: abs(role.runtime.pidFile),
      logFile: abs(role.runtime.logFile),
      persistentDirs: role.runtime.persistentDirs.map((d) => ({ path: abs(d), dataPath: `${ctx.paths.dataDir}/${d}` })),
      packages: [],
      systemdUnit: systemd ? ctx.paths.unitName : null,
    };
  }
  const variant = role.runtime.variants.find((v) => matches(v.when, facts));
  if (!variant) throw new ConfigError(`${role.file}: no runtime variant matches ${ctx.host}/${ctx.role} (database ${facts.databaseType})`);
  const argv = (a: readonly string[]) => a.map((x) => fill(x));
  return {
    ...common,
    kind: 'service',
    distribution: null,
    home: null,
    launch: null,
    start: argv(variant.start),
    stop: argv(variant.stop),
    reload: argv(variant.reload),
    isRunning: argv(variant.isRunning),
    configTest: variant.configTest ? argv(variant.configTest) : null,
    env: {},
    pidFile: null,
    logFile: fill(variant.logFile),
    persistentDirs: [],
    packages: variant.packages,
    systemdUnit: null,
  };
}

function resolveCheck(c: HealthCheck, fill: (s: string) => string, offset: number): HealthCheck {
  switch (c.kind) {
    case 'http':
      return { kind: 'http', url: fill(c.url), expectStatus: c.expectStatus, from: c.from, insecureTls: c.insecureTls, ...(c.bodyContains ? { bodyContains: c.bodyContains } : {}) };
    case 'tcp':
      return { kind: 'tcp', host: fill(c.host), port: c.port + offset, ...(c.from ? { from: c.from } : {}) };
    case 'log':
      return { kind: 'log', file: fill(c.file), pattern: c.pattern };
    case 'command':
      return { kind: 'command', argv: c.argv.map(fill) };
  }
}
