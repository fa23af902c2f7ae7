/**
 * Boot, wait for peers, become ready, shut down: the part of a Carbon node's life that an orchestrator can see.
 * Ports stay closed during the boot delay (Carbon opens them late), then answer 503 until every dependency holds.
 */
import { pullArtifacts, SAMPLE_API } from './artifacts.js';
import type { SimConfig } from './config.js';
import { dependenciesOf, type Dependency } from './dependencies.js';
import { connectPublishers, SIM_AMQP_LOGIN } from './event-publishers.js';
import { passthroughHandler, servletHandler, websocketHandler, websocketUpgrades, type NodeState } from './http-handlers.js';
import { openHttp, openTcp, type Listener, type TlsMaterial } from './listeners.js';
import type { Logger } from './log.js';
import { sleep } from './sleep.js';
import type { Fault } from './manifest.js';
import type { TrustVerifier } from './trust.js';
import { schemasMatch } from './schema-check.js';

const RETRY_MS = 2000;
const ARTIFACT_POLL_MS = 10_000;
const DEPLOYER = 'org.wso2.carbon.apimgt.gateway.InMemoryAPIDeployer';
const CORE = 'org.wso2.carbon.core.internal.StartupFinalizerServiceComponent';

export interface Node {
  readonly config: SimConfig;
  readonly state: NodeState;
  readonly log: Logger;
  /** Read from [keystore.tls] by the lab JDK while the node boots. */
  readonly tls: Promise<TlsMaterial>;
  readonly trust: TrustVerifier;
  readonly fault: Fault;
  readonly startedAt: number;
  readonly stopping: AbortSignal;
  readonly listeners: Listener[];
}

/** Listen on 0.0.0.0, as a default Carbon does. */
const HOST = '0.0.0.0';

async function openServletAndGatewayPorts(node: Node, tls: TlsMaterial): Promise<void> {
  const { ports } = node.config;
  const { state } = node;
  if (ports.https !== undefined) node.listeners.push(await openHttp(ports.https, HOST, servletHandler(state, true, node.config), tls));
  if (ports.http !== undefined) node.listeners.push(await openHttp(ports.http, HOST, servletHandler(state, false)));
  if (ports.passthroughHttp !== undefined) node.listeners.push(await openHttp(ports.passthroughHttp, HOST, passthroughHandler(state)));
  if (ports.passthroughHttps !== undefined) node.listeners.push(await openHttp(ports.passthroughHttps, HOST, passthroughHandler(state), tls));
  if (ports.websocket !== undefined) {
    node.listeners.push(await openHttp(ports.websocket, HOST, websocketHandler(state), undefined, websocketUpgrades(state)));
  }
  if (ports.websocketSecure !== undefined) {
    node.listeners.push(await openHttp(ports.websocketSecure, HOST, websocketHandler(state), tls, websocketUpgrades(state)));
  }
  const open = node.listeners.map((l) => l.port).join(', ');
  node.log.info('org.wso2.carbon.tomcat.ext.internal.CarbonTomcatServiceComponent', `Listening on ${HOST} ports ${open}`);
}

async function openBrokerPorts(node: Node, tls: TlsMaterial): Promise<void> {
  const { ports } = node.config;
  if (ports.amqp !== undefined) node.listeners.push(await openTcp(ports.amqp, HOST, undefined, (line) => brokerLogin(node, line)));
  if (ports.binary !== undefined) node.listeners.push(await openTcp(ports.binary, HOST));
  if (ports.binarySsl !== undefined) node.listeners.push(await openTcp(ports.binarySsl, HOST, tls));
  if (ports.amqp !== undefined) {
    node.log.info('org.wso2.andes.server.Broker', `AMQP listening on port ${ports.amqp}; binary receiver on ${ports.binary} (TLS ${ports.binarySsl})`);
  }
}

/** The broker's answer to a simulated JMS client's login: its [super_admin] only (event-publishers.ts). */
function brokerLogin(node: Node, line: string): string | null {
  if (!line.startsWith(`${SIM_AMQP_LOGIN} `)) return null;
  let login: { username?: unknown; password?: unknown };
  try {
    login = JSON.parse(line.slice(SIM_AMQP_LOGIN.length + 1)) as typeof login;
  } catch {
    return 'DENIED';
  }
  const { admin } = node.config;
  const ok = login.username === admin.username && login.password === admin.password;
  if (!ok) node.log.warn('org.wso2.andes.server.Broker', `Authentication failed for user ${String(login.username)}`);
  return ok ? 'OK' : 'DENIED';
}

/** Probes every pending dependency each round; logs an ERROR per failure, as a real node keeps complaining. */
async function waitForDependencies(node: Node, deps: Dependency[]): Promise<boolean> {
  let pending = deps;
  while (pending.length > 0 && !node.stopping.aborted) {
    const results = await Promise.all(pending.map(async (d) => ({ d, why: await d.probe() })));
    if (node.stopping.aborted) return false;
    for (const { d, why } of results) {
      if (why === null) node.log.info(d.logger, d.success);
      else node.log.error(d.logger, d.failure(why));
    }
    pending = results.filter((r) => r.why !== null).map((r) => r.d);
    if (pending.length > 0) await sleep(RETRY_MS, node.stopping);
  }
  return !node.stopping.aborted;
}

let deployedBefore: boolean | undefined;

/** Logs only changes: the first answer, then each time the sample API comes or goes. */
function deploy(node: Node, apis: readonly string[], environments: readonly string[]): void {
  const labels = node.config.gatewayLabels.join(', ');
  node.state.apis = [...apis];
  const deployed = apis.includes(SAMPLE_API);
  if (deployed === deployedBefore) return;
  deployedBefore = deployed;
  if (deployed) node.log.info(DEPLOYER, `Deploying API ${SAMPLE_API} for gateway labels [${labels}]`);
  else {
    const where = environments.length > 0 ? `the control plane deploys to [${environments.join(', ')}]` : 'the control plane defines no gateway environment';
    node.log.info(DEPLOYER, `No API deployed for gateway labels [${labels}]: ${where}`);
  }
}

/**
 * What this node deploys. An all-in-one knows its own environments; a gateway pulls from its event hub, first
 * before it calls itself started (a gateway that cannot fetch its artifacts is not ready), then every 10 s, as
 * JMS deploy events would tell it. Returns false when the node is stopping.
 */
async function firstSync(node: Node): Promise<boolean> {
  const { config } = node;
  if (config.component === 'all-in-one') {
    deploy(node, config.gatewayLabels.some((l) => config.environments.includes(l)) ? [SAMPLE_API] : [], config.environments);
    return true;
  }
  if (config.component !== 'gateway' || config.eventHubUrl === undefined) return true;
  while (!node.stopping.aborted) {
    if (await pullOnce(node, config.eventHubUrl)) return true;
    await sleep(RETRY_MS, node.stopping);
  }
  return false;
}

let lastPullError = '';

async function pullOnce(node: Node, eventHubUrl: string): Promise<boolean> {
  const pulled = await pullArtifacts(eventHubUrl, node.config.gatewayLabels, node.trust);
  if ('error' in pulled) {
    if (pulled.error !== lastPullError) node.log.error(DEPLOYER, `Error while retrieving runtime artifacts from ${eventHubUrl} : ${pulled.error}`);
    lastPullError = pulled.error;
    return false;
  }
  lastPullError = '';
  deploy(node, pulled.apis, pulled.environments);
  return true;
}

async function keepSyncing(node: Node): Promise<void> {
  const hub = node.config.eventHubUrl;
  if (node.config.component !== 'gateway' || hub === undefined) return;
  while (!node.stopping.aborted) {
    await sleep(ARTIFACT_POLL_MS, node.stopping);
    if (!node.stopping.aborted) await pullOnce(node, hub);
  }
}

/** Resolves when the node is ready (or stopping); rejects when it must exit with an error. */
export async function boot(node: Node, bootDelayMs: number): Promise<void> {
  if (node.fault === 'crash') {
    await sleep(Math.min(bootDelayMs, 1000), node.stopping);
    throw new Error('Error while starting the server: simulated fault "crash" baked into this distribution');
  }
  await sleep(bootDelayMs, node.stopping);
  const tls = await node.tls;
  if (node.stopping.aborted) return;
  await openServletAndGatewayPorts(node, tls);
  if (node.config.blockers.length > 0) {
    for (const b of node.config.blockers) node.log.error(b.logger, b.message);
    await new Promise<void>((resolve) => node.stopping.addEventListener('abort', () => resolve(), { once: true }));
    return;
  }
  if (node.fault === 'unhealthy') {
    while (!node.stopping.aborted) {
      node.log.error('org.wso2.carbon.apimgt.impl.deployer', 'Error while deploying artifacts: simulated fault "unhealthy" baked into this distribution');
      await sleep(RETRY_MS * 5, node.stopping);
    }
    return;
  }
  if (!(await waitForDependencies(node, dependenciesOf(node.config, node.trust)))) return;
  if (!(await schemasMatch(node.config.databases, node.state.version, node.log))) {
    await new Promise<void>((resolve) => node.stopping.addEventListener('abort', () => resolve(), { once: true }));
    return;
  }
  if (!(await firstSync(node))) return;
  await openBrokerPorts(node, tls);
  node.state.ready = true;
  void keepSyncing(node);
  connectPublishers(node.config.carbonHome, node.log, node.stopping);
  const seconds = Math.max(1, Math.round((Date.now() - node.startedAt) / 1000));
  node.log.info(CORE, `Server           :  ${node.state.product}-${node.state.version}`);
  node.log.info(CORE, `WSO2 Carbon started in ${seconds} sec`);
}

/** Stop accepting, let in-flight requests finish, close keep-alive connections; bounded by `deadlineMs`. */
export async function shutdown(node: Node, deadlineMs: number): Promise<void> {
  node.state.draining = true;
  node.log.info('org.wso2.carbon.core.init.CarbonServerManager', 'Shutdown hook triggered....');
  node.log.info('org.wso2.carbon.core.init.CarbonServerManager', 'Gracefully shutting down WSO2 Carbon...');
  await Promise.all(node.listeners.map((l) => l.close(deadlineMs)));
  node.log.info('org.wso2.carbon.core.init.CarbonServerManager', 'Shutdown complete');
}
