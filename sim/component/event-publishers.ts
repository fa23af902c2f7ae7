/**
 * JMS event publishers (repository/deployment/server/eventpublishers/*.xml with eventAdapterType="jms"): what an
 * active-active control plane uses to send its events to the other regions' event hubs (docs-apim
 * install-and-setup/setup/multi-dc-deployment/configuring-multi-dc-deployment-pattern-1.md). Each names a JNDI
 * provider file (java.naming.provider.url, relative to the Carbon home) whose `connectionfactory.<name>` is a Qpid
 * connection URL: amqp://user:password@clientid/carbon?brokerlist='tcp://host:port;...'.
 *
 * What the simulator does, and how sure we are:
 * - A publisher whose JNDI file is missing, or lacks the connection factory it names, never connects (the andes
 *   PropertiesFileInitialContextFactory reads that file; sources read: the docs page above). The log wording is ours.
 * - It connects to the brokers of the list in order (Qpid failover), and keeps retrying while none answers, as the
 *   JMS adapter reconnects; it does not keep the node unready (the docs do not say a publisher blocks start-up).
 * - The broker checks the login against its own [super_admin] (the docs' URL logs in as admin:admin, the default
 *   super admin; andes authenticates against the Carbon user store). The handshake between simulated nodes is a line
 *   of our own, not AMQP: only simulated nodes speak it, and the orchestrator never does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { readJavaProperties } from './java-properties.js';
import type { Logger } from './log.js';
import { sleep } from './sleep.js';

const LOGGER = 'org.wso2.carbon.event.output.adapter.jms.JMSEventAdapter';
const RETRY_MS = 5000;
/** The line a simulated JMS client sends on a simulated broker's AMQP port, and the answers. */
export const SIM_AMQP_LOGIN = 'SIM-AMQP-LOGIN';

export interface JmsPublisher {
  readonly name: string;
  readonly file: string;
  /** Resolved against the Carbon home. */
  readonly jndiFile: string;
  readonly factoryName: string;
}

const property = (xml: string, name: string): string | undefined =>
  new RegExp(`<property\\s+name="${name.replace(/\./g, '\\.')}"\\s*>([^<]*)</property>`).exec(xml)?.[1]?.trim();

/** The JMS publishers deployed on this node (none when the directory is absent, as in most packs). */
export function jmsPublishers(carbonHome: string): JmsPublisher[] {
  const dir = join(carbonHome, 'repository', 'deployment', 'server', 'eventpublishers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().flatMap((f) => {
    const xml = readFileSync(join(dir, f), 'utf8');
    if (!/eventAdapterType="jms"/.test(xml)) return [];
    const provider = property(xml, 'java.naming.provider.url') ?? '';
    return [{
      name: /<eventPublisher\s+name="([^"]*)"/.exec(xml)?.[1] ?? f,
      file: f,
      jndiFile: isAbsolute(provider) ? provider : join(carbonHome, provider),
      factoryName: property(xml, 'transport.jms.ConnectionFactoryJNDIName') ?? '',
    }];
  });
}

interface BrokerUrl {
  readonly username: string;
  readonly password: string;
  readonly brokers: readonly { host: string; port: number }[];
}

/** The Qpid connection URL of the publisher's factory, or why there is none. */
export function brokerUrl(p: JmsPublisher): BrokerUrl | { error: string } {
  if (!existsSync(p.jndiFile)) return { error: `JNDI provider file ${p.jndiFile} not found` };
  const url = readJavaProperties(readFileSync(p.jndiFile, 'utf8')).get(`connectionfactory.${p.factoryName}`);
  if (url === undefined) return { error: `no connectionfactory.${p.factoryName} in ${p.jndiFile}` };
  const m = /^amqp:\/\/([^:@/]*):([^@/]*)@[^/]*\/[^?]*\?(.*)$/.exec(url);
  const list = m ? /brokerlist='([^']*)'/.exec(m[3]!)?.[1] : undefined;
  if (!m || list === undefined) return { error: `malformed connection URL in ${p.jndiFile}` };
  const brokers = list.split(';').map((b) => /^tcp:\/\/\[?([^\]]+?)\]?:(\d+)$/.exec(b.trim())).map((b) => (b ? { host: b[1]!, port: Number(b[2]) } : null));
  if (brokers.some((b) => b === null) || brokers.length === 0) return { error: `malformed brokerlist '${list}' in ${p.jndiFile}` };
  return { username: m[1]!, password: m[2]!, brokers: brokers as { host: string; port: number }[] };
}

/** One login on one broker: null when accepted, else why not. */
function login(host: string, port: number, username: string, password: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const done = (why: string | null): void => { socket.destroy(); resolve(why); };
    socket.setTimeout(5000, () => done('timed out'));
    socket.on('error', (e) => done(e.message));
    socket.on('connect', () => socket.write(`${SIM_AMQP_LOGIN} ${JSON.stringify({ username, password })}\n`));
    socket.on('data', (d) => {
      answer += d.toString('utf8');
      if (answer.includes('\n')) done(answer.startsWith('OK') ? null : `login refused for user ${username}`);
    });
    socket.on('end', () => done('connection closed by the broker'));
  });
}

/** Connects every JMS publisher (in the background, retrying), logging each change of state once. */
export function connectPublishers(carbonHome: string, log: Logger, stopping: AbortSignal): void {
  for (const p of jmsPublishers(carbonHome)) void keepConnecting(p, log, stopping);
}

async function keepConnecting(p: JmsPublisher, log: Logger, stopping: AbortSignal): Promise<void> {
  let last = '';
  while (!stopping.aborted) {
    const url = brokerUrl(p);
    let why: string;
    if ('error' in url) why = url.error;
    else {
      const tried: string[] = [];
      for (const b of url.brokers) {
        const refused = await login(b.host, b.port, url.username, url.password);
        if (refused === null) {
          log.info(LOGGER, `Event publisher ${p.name}: connected to tcp://${b.host}:${b.port}`);
          return;
        }
        tried.push(`tcp://${b.host}:${b.port} (${refused})`);
      }
      why = `no broker accepted the connection: ${tried.join('; ')}`;
    }
    if (why !== last) log.error(LOGGER, `Event publisher ${p.name} cannot connect: ${why}`);
    last = why;
    await sleep(RETRY_MS, stopping);
  }
}
