/**
 * What a node waits for before it is ready, as the real components do (reference §4): a gateway needs its event hub
 * and every traffic manager, a traffic manager its event hub, a control plane / key manager its databases (and a key
 * manager a remote event hub when it has one).
 */
import { hostname as osHostname } from 'node:os';
import type { SimConfig } from './config.js';
import { probeDatabase } from './database.js';
import { probeHttpService, probeTcp } from './peers.js';
import type { TrustVerifier } from './trust.js';

export interface Dependency {
  /** Logger name in the Carbon log, like the Java class that would complain. */
  readonly logger: string;
  readonly probe: () => Promise<string | null>;
  /** The ERROR line written each time the probe fails. */
  readonly failure: (why: string) => string;
  readonly success: string;
}

/** True when `url` points at this node's own management port (a control plane is its own event hub). */
export function pointsAtSelf(url: string, config: SimConfig): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const own = new Set(['localhost', '127.0.0.1', '[::1]', config.hostname, osHostname(), config.nodeIp ?? '127.0.0.1']);
  const port = target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
  return own.has(target.hostname) && port === config.ports.https;
}

function eventHub(url: string, trust: TrustVerifier | undefined): Dependency {
  return {
    logger: 'org.wso2.carbon.apimgt.impl.notifier.EventHubConnector',
    probe: () => probeHttpService(url, trust),
    failure: (why) => `Error while connecting to event hub ${url} : ${why}. Retrying in 2 seconds`,
    success: `Connected to event hub ${url}`,
  };
}

function trafficManager(url: string): Dependency {
  return {
    logger: 'org.wso2.carbon.apimgt.gateway.throttling.publisher.ThrottleDataPublisher',
    probe: () => probeTcp(url),
    failure: (why) => `Error while connecting to traffic manager ${url} : ${why}. Retrying in 2 seconds`,
    success: `Connected to traffic manager ${url}`,
  };
}

/** `trust`: how https peers are judged (trust.ts); tests may leave it out to probe reachability alone. */
export function dependenciesOf(config: SimConfig, trust?: TrustVerifier): Dependency[] {
  const deps: Dependency[] = [];
  const hub = config.eventHubUrl;
  if (config.component === 'gateway' || config.component === 'traffic-manager') {
    if (hub !== undefined) deps.push(eventHub(hub, trust));
  }
  if (config.component === 'key-manager' && hub !== undefined && !pointsAtSelf(hub, config)) deps.push(eventHub(hub, trust));
  if (config.component === 'gateway') deps.push(...config.trafficManagerUrls.map(trafficManager));
  for (const db of config.databases) {
    deps.push({
      logger: 'org.wso2.carbon.ndatasource.rdbms.RDBMSDataSourceReader',
      probe: () => probeDatabase(db),
      failure: (why) => `Cannot connect to database ${db.id} at ${db.display} as user "${db.user}": ${why}. Retrying in 2 seconds`,
      success: `Connected to database ${db.id} at ${db.display}`,
    });
  }
  return deps;
}
