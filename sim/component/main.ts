/**
 * The simulated WSO2 API Manager node. Bundled into lib/wso2-sim.cjs of every simulated pack and started by the
 * pack's bin/*.sh scripts: `node lib/wso2-sim.cjs --sim-script=<script> -Dcarbon.home=<dir> [operator args]`.
 * Everything it knows comes from the pack, deployment.toml, the environment and its arguments.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { componentFor, parseStartArgs } from './args.js';
import { loadConfig } from './config.js';
import { loadKeyMaterial, type JavaRuntime } from './jsse.js';
import { boot, shutdown, type Node } from './lifecycle.js';
import { fileLogger } from './log.js';
import { echoRequestLog } from './sample-api.js';
import { deployDropins } from './dropins.js';
import { readManifest } from './manifest.js';
import { fail, failConfiguration, removePidFile } from './startup-failure.js';
import { openVault } from './secure-vault.js';
import { TrustVerifier } from './trust.js';
import { dataVersion } from '../rules/versions.js';

const SHUTDOWN_DEADLINE_MS = 4000;
const CORE = 'org.wso2.carbon.core.internal.CarbonCoreActivator';
const SIM = 'wso2-sim';

function bootDelayMs(): number {
  const text = process.env['SIM_BOOT_DELAY_MS'];
  const n = text === undefined ? 2000 : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : 2000;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const args = parseStartArgs(process.argv.slice(2));
  const libDir = dirname(resolve(process.argv[1] ?? '.'));
  // Resolve once: if the operator re-points a `current` symlink while we run, our files stay ours.
  const carbonHome = realpathSync(args.carbonHome ?? process.env['CARBON_HOME'] ?? dirname(libDir));
  const pidFile = join(carbonHome, 'wso2carbon.pid');
  const log = fileLogger(join(carbonHome, 'repository', 'logs', 'wso2carbon.log'), true);
  process.stdout.on('error', () => undefined); // a closed stdout must not stop the node
  const manifest = readManifest(libDir);
  // `ps` shows a real node's java command line with every JVM option the start script passed; keep them visible
  // (a title replaces argv in /proc/<pid>/cmdline and may not grow past its length, which already held them).
  process.title = ['wso2-sim', args.script, ...process.argv.slice(2).filter((a) => !a.startsWith('--sim-script='))].join(' ');

  log.info(CORE, `Starting WSO2 Carbon... (simulated ${manifest.product} ${manifest.version}, update level ${manifest.updateLevel})`);
  log.info(CORE, `Operating System : ${process.platform} ${process.arch}`);
  log.info(CORE, `Java Home        : ${process.env['JAVA_HOME'] ?? ''}`);
  log.info(CORE, `Carbon Home      : ${carbonHome}`);
  let component;
  try {
    component = componentFor(args, manifest.profiles);
  } catch (err) {
    fail(log, pidFile, [(err as Error).message]);
  }
  if (args.profile !== undefined && !manifest.profiles) {
    log.warn(CORE, `-Dprofile=${args.profile} ignored: ${manifest.version} ships one distribution per component`);
  }
  const java: JavaRuntime = { javaHome: process.env['JAVA_HOME'] ?? '', classDir: join(libDir, 'wso2-sim-tls') };
  // Secure vault first: its secrets resolve `$secret{}` in deployment.toml (secure-vault.ts).
  const vault = await openVault(java, carbonHome, args.systemProperties);
  if (!vault.ok) fail(log, pidFile, vault.errors);
  for (const note of vault.notes) log.info(SIM, note);
  const loaded = loadConfig({
    carbonHome, component, version: dataVersion(manifest.version), argOffset: args.portOffset,
    env: process.env, systemProperties: args.systemProperties, secrets: vault.secrets,
  });
  if (!loaded.ok && loaded.kind === 'mapper') failConfiguration(log, pidFile, loaded.exception);
  if (!loaded.ok) fail(log, pidFile, loaded.problems.map((p) => `Error in deployment.toml: ${p}`));
  const config = loaded.config;
  deployDropins(carbonHome, log);
  for (const note of config.notes) log.warn(SIM, `(simulator note; the product logs nothing here) ${note}`);
  // The keystore is read by the lab JDK while the node boots; a wrong password stops the boot (lifecycle.ts).
  const tls = loadKeyMaterial(java, config.keystore);
  tls.catch(() => undefined);
  writeFileSync(pidFile, `${process.pid}\n`);

  log.info(CORE, `Component        : ${component}, port offset ${config.offset}, hostname ${config.hostname}`);
  if (config.eventHubUrl) log.info(CORE, `Event hub        : ${config.eventHubUrl}`);
  if (config.keyManagerUrl) log.info(CORE, `Key manager      : ${config.keyManagerUrl}`);
  if (config.trafficManagerUrls.length > 0) log.info(CORE, `Traffic managers : ${config.trafficManagerUrls.join(', ')}`);
  for (const db of config.databases) log.info(CORE, `Database ${db.id.padEnd(9)}: ${db.type} ${db.display} user ${db.user}`);

  const stop = new AbortController();
  const node: Node = {
    config,
    state: {
      ready: false,
      draining: false,
      product: manifest.product,
      version: manifest.version,
      updateLevel: manifest.updateLevel,
      component,
      nodeName: config.nodeIp ?? osHostname(),
      environments: config.environments,
      apis: [],
      requestLog: echoRequestLog(carbonHome),
    },
    log,
    tls,
    trust: new TrustVerifier(java, config.truststore),
    fault: manifest.fault,
    startedAt,
    stopping: stop.signal,
    listeners: [],
  };
  const onSignal = (): void => {
    if (stop.signal.aborted) return;
    stop.abort();
    const force = setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS + 1000);
    void shutdown(node, SHUTDOWN_DEADLINE_MS).finally(() => {
      clearTimeout(force);
      removePidFile(pidFile);
      process.exit(0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await boot(node, bootDelayMs());
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `Address already in use: ${e.message}` : e.message;
    await Promise.all(node.listeners.map((l) => l.close(0)));
    fail(log, pidFile, [why]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`wso2-sim: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(70);
});
