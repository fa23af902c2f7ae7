import { describe, expect, it } from 'vitest';
import type { SimConfig } from '../../../sim/component/config.js';
import { dependenciesOf, pointsAtSelf } from '../../../sim/component/dependencies.js';
import { portsFor } from '../../../sim/component/ports.js';

const config = (over: Partial<SimConfig>): SimConfig => ({
  component: 'gateway',
  hostname: 'node1.lab',
  nodeIp: '10.0.0.5',
  offset: 0,
  ports: portsFor(over.component ?? 'gateway', 0),
  version: '4.6',
  keystore: { path: 'wso2carbon.jks', type: 'JKS', password: 'wso2carbon', alias: 'wso2carbon', keyPassword: 'wso2carbon' },
  truststore: { path: 'client-truststore.jks', type: 'JKS', password: 'wso2carbon' },
  keyManagerUrl: undefined,
  eventHubUrl: undefined,
  trafficManagerUrls: [],
  databases: [],
  blockers: [],
  notes: [],
  environments: [],
  gatewayLabels: ['Default'],
  admin: { username: 'admin', password: 'admin' },
  carbonHome: '/opt/wso2/gateway/current',
  ...over,
});

const db = { id: 'apim_db', type: 'postgre', host: 'db', port: 5432, database: 'apim_db', user: 'u', password: 'p', display: 'x' };

describe('what a node waits for', () => {
  it('a gateway waits for its event hub and every traffic manager', () => {
    const deps = dependenciesOf(config({ eventHubUrl: 'https://cp:9443/services/', trafficManagerUrls: ['tcp://tm1:9611', 'tcp://tm2:9611'] }));
    expect(deps.map((d) => d.success)).toEqual([
      'Connected to event hub https://cp:9443/services/',
      'Connected to traffic manager tcp://tm1:9611',
      'Connected to traffic manager tcp://tm2:9611',
    ]);
  });

  it('a control plane is its own event hub and waits only for its databases', () => {
    const deps = dependenciesOf(config({ component: 'control-plane', eventHubUrl: 'https://localhost:9443/services/', databases: [db] }));
    expect(deps.map((d) => d.success)).toEqual(['Connected to database apim_db at x']);
  });

  it('a key manager waits for a remote event hub but not for itself', () => {
    const remote = config({ component: 'key-manager', eventHubUrl: 'https://cp.lab:9443/services/' });
    expect(dependenciesOf(remote)).toHaveLength(1);
    const self = config({ component: 'key-manager', eventHubUrl: 'https://10.0.0.5:9443/services/' });
    expect(dependenciesOf(self)).toHaveLength(0);
  });

  it('tells its own management port from another node on the same host', () => {
    const c = config({ component: 'key-manager', offset: 2, ports: portsFor('key-manager', 2) });
    expect(pointsAtSelf('https://localhost:9445/services/', c)).toBe(true);
    expect(pointsAtSelf('https://localhost:9443/services/', c)).toBe(false);
    expect(pointsAtSelf('https://node1.lab:9445/services/', c)).toBe(true);
    expect(pointsAtSelf('not a url', c)).toBe(false);
  });

  it('never logs a database password in its messages', () => {
    const [dep] = dependenciesOf(config({ component: 'control-plane', databases: [{ ...db, password: 'hunter2' }] }));
    expect(dep!.failure('password authentication failed for user "u"')).not.toContain('hunter2');
  });
});
