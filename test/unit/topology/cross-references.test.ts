import { describe, expect, it } from 'vitest';
import type { Inventory, RoleName } from '../../../src/model/inventory.js';
import { deploymentTomls, EXAMPLES, examplesWith, fileOf, loadExample, renderExample } from '../render/examples.js';
import { renderInventory } from '../../../src/render/render-inventory.js';

/** Addresses of a role's hosts in one datacenter (null = the whole inventory). */
function addresses(inv: Inventory, role: RoleName, dc: string | null = null): string[] {
  const names = dc === null ? (inv.roles[role] ?? []) : (inv.datacenters.find((d) => d.name === dc)?.roles[role] ?? []);
  return names.map((n) => inv.hosts.find((h) => h.name === n)!.address);
}
const hostsOf = (inv: Inventory, role: RoleName) => inv.hosts.filter((h) => h.roles.includes(role));
const dcsOf = (inv: Inventory): (string | null)[] => (inv.datacenters.length ? inv.datacenters.map((d) => d.name) : [null]);

describe.each(EXAMPLES)('example inventory %s', (name) => {
  it('renders every WSO2 node a deployment.toml that parses, with its node_ip and offset', async () => {
    const inv = await loadExample(name);
    const nodes = renderInventory(inv);
    const tomls = deploymentTomls(nodes);
    const wso2Nodes = nodes.filter((n) => n.runtime.kind === 'wso2');
    expect(tomls.size).toBe(wso2Nodes.length);
    for (const n of wso2Nodes) {
      const toml = tomls.get(`${n.host}/${n.role}`)!;
      expect(toml.server.node_ip).toBe(inv.hosts.find((h) => h.name === n.host)!.address);
      expect(toml.server.offset).toBe(n.context.offset);
      expect(toml.super_admin.password).toBe(n.context.vars.admin_password?.reveal());
    }
  });

});

describe.each(await examplesWith('gateway'))('gateways of %s', (name) => {
  it('get every traffic manager of their datacenter (or its all-in-one nodes) for throttling', async () => {
    const inv = await loadExample(name);
    const tomls = deploymentTomls(renderInventory(inv));
    for (const gw of hostsOf(inv, 'gateway')) {
      const dc = gw.datacenter ?? null;
      const tms = addresses(inv, 'traffic-manager', dc);
      const expected = tms.length ? tms : addresses(inv, 'all-in-one', dc);
      const th = tomls.get(`${gw.name}/gateway`)!.apim.throttling;
      expect(th.throttle_decision_endpoints).toEqual(expected.map((a) => `tcp://${a}:5672`));
      expect(th.url_group.map((g: any) => g.traffic_manager_urls[0])).toEqual(expected.map((a) => `tcp://${a}:9611`));
      expect(th.url_group.map((g: any) => g.traffic_manager_auth_urls[0])).toEqual(expected.map((a) => `ssl://${a}:9711`));
    }
  });

});

describe.each(await examplesWith('all-in-one'))('all-in-one nodes of %s', (name) => {
  it('are their own traffic managers: an HA set throttles as one mesh of its datacenter, a single node keeps the defaults', async () => {
    const inv = await loadExample(name);
    const tomls = deploymentTomls(renderInventory(inv));
    for (const aio of hostsOf(inv, 'all-in-one')) {
      const members = addresses(inv, 'all-in-one', aio.datacenter ?? null);
      const th = tomls.get(`${aio.name}/all-in-one`)!.apim.throttling;
      if (members.length === 1) {
        expect(th).toBeUndefined();
        continue;
      }
      expect(th.throttle_decision_endpoints).toEqual(['tcp://localhost:5672']);
      expect(th.url_group.map((g: any) => g.traffic_manager_urls[0])).toEqual(members.map((a) => `tcp://${a}:9611`));
      expect(th.event_duplicate_url).toEqual(members.filter((a) => a !== aio.address).map((a) => `tcp://${a}:5672`));
    }
  });

});

describe.each(EXAMPLES)('event hubs of %s', (name) => {
  it('names the other node in event_duplicate_url of each HA control plane / all-in-one / traffic manager pair', async () => {
    const inv = await loadExample(name);
    const tomls = deploymentTomls(renderInventory(inv));
    for (const role of ['control-plane', 'all-in-one', 'traffic-manager'] as const) {
      for (const dc of dcsOf(inv)) {
        const members = addresses(inv, role, dc);
        const names = dc === null ? (inv.roles[role] ?? []) : (inv.datacenters.find((d) => d.name === dc)!.roles[role] ?? []);
        names.forEach((host, i) => {
          const toml = tomls.get(`${host}/${role}`)!;
          const peers = members.filter((_, j) => j !== i).map((a) => `tcp://${a}:5672`);
          const dup = role === 'traffic-manager' ? toml.apim.throttling.event_duplicate_url : toml.apim.event_hub.event_duplicate_url;
          expect(dup ?? []).toEqual(peers);
          if (role !== 'traffic-manager') {
            expect(toml.apim.event_hub.publish.url_group.map((g: any) => g.urls[0])).toEqual(members.map((a) => `tcp://${a}:9611`));
          }
        });
      }
    }
  });

  it('are the control planes (or all-in-one nodes) themselves, listening on their own broker port', async () => {
    const inv = await loadExample(name);
    const nodes = renderInventory(inv).filter((n) => n.role === 'control-plane' || n.role === 'all-in-one');
    const tomls = deploymentTomls(nodes);
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      const hub = tomls.get(`${n.host}/${n.role}`)!.apim.event_hub;
      expect(hub.event_listening_endpoints).toEqual([`tcp://localhost:${5672 + n.context.offset}`]);
      expect(hub.service_url).toBe('https://localhost:${mgt.transport.https.port}/services/');
    }
  });
});

describe.each(await examplesWith('gateway', 'traffic-manager'))('gateways and traffic managers of %s', (name) => {
  it('point at the event hub of their control planes', async () => {
    const inv = await loadExample(name);
    const tomls = deploymentTomls(renderInventory(inv));
    const central = inv.datacenters[0]?.name ?? null;
    for (const role of ['gateway', 'traffic-manager'] as const) {
      for (const h of hostsOf(inv, role)) {
        const dc = h.datacenter ?? null;
        let cps = addresses(inv, 'control-plane', dc);
        if (!cps.length) cps = addresses(inv, 'all-in-one', dc);
        if (!cps.length) cps = addresses(inv, 'control-plane', central); // active-passive regions
        const hub = tomls.get(`${h.name}/${role}`)!.apim.event_hub;
        expect(hub.event_listening_endpoints).toEqual(cps.map((a) => `tcp://${a}:5672`));
        expect(hub.service_url).toMatch(/^https:\/\/.+\/services\/$/);
      }
    }
  });

});

describe.each(EXAMPLES)('key manager traffic of %s', (name) => {
  it('goes to the key managers in patterns 4 and 5, else to the control plane (an all-in-one keeps its resident one)', async () => {
    const inv = await loadExample(name);
    const nodes = renderInventory(inv);
    const tomls = deploymentTomls(nodes);
    const kms = hostsOf(inv, 'key-manager');
    for (const n of nodes.filter((x) => x.role === 'gateway' || x.role === 'control-plane' || x.role === 'all-in-one')) {
      const km = tomls.get(`${n.host}/${n.role}`)!.apim.key_manager;
      if (kms.length) {
        const lb = addresses(inv, 'load-balancer', n.context.datacenter)[0];
        expect(km.service_url).toBe(lb ? `https://${lb}:8443/services/` : `https://${kms[0]!.address}:9443/services/`);
      } else if (n.role === 'gateway') {
        expect(km.service_url).toBe(tomls.get(`${n.host}/${n.role}`)!.apim.event_hub.service_url);
      } else if (n.role === 'control-plane') {
        // The control planes' own door: the one their portals are published at.
        expect(km.service_url).toBe(tomls.get(`${n.host}/${n.role}`)!.apim.devportal.url.replace(/\/devportal$/, '/services/'));
      } else {
        // The resident key manager: no service_url; only the pack's own enable_lightweight_apikey_generation is kept.
        expect(km?.service_url).toBeUndefined();
      }
    }
    for (const km of kms) {
      const toml = tomls.get(`${km.name}/key-manager`)!;
      expect(toml.event_listener[0].id).toBe('token_revocation');
      expect(toml.database.apim_db.url).toContain('apim_db');
    }
  });
});

describe.each(await examplesWith('load-balancer'))('load balancers of %s', (name) => {
  it('list exactly the gateways (or all-in-one nodes) of their datacenter in each nginx upstream', async () => {
    const inv = await loadExample(name);
    const nodes = renderInventory(inv);
    for (const lb of hostsOf(inv, 'load-balancer')) {
      const nginx = nodes.find((n) => n.host === lb.name && n.role === 'load-balancer')!.files.some((f) => f.path.endsWith('nginx.conf'));
      const conf = fileOf(nodes, lb.name, nginx ? '/etc/nginx/nginx.conf' : '/etc/haproxy/haproxy.cfg');
      const dc = lb.datacenter ?? null;
      const gws = addresses(inv, 'gateway', dc);
      const expected = gws.length ? gws : addresses(inv, 'all-in-one', dc);
      // nginx: `upstream NAME { server A:P; }`; HAProxy: `backend NAME` then `server A:P A:P …` lines up to a blank line.
      const block = (u: string) => (nginx ? new RegExp(`upstream ${u} \\{([^}]*)\\}`) : new RegExp(`^backend ${u}\\n((?:.+\\n)*)`, 'm')).exec(conf)?.[1] ?? '';
      const upstream = (u: string) => [...block(u).matchAll(nginx ? /server (\S+?):(\d+)/g : /server \S+ (\S+?):(\d+)/g)].map((m) => m[1]);
      expect(upstream('apim_gateway_https')).toEqual(expected);
      expect(upstream('apim_gateway_http')).toEqual(expected);
    }
  });
});

describe('active-passive specifics', () => {
  it('keeps regional throttling local and the event hub central', async () => {
    const tomls = deploymentTomls(await renderExample('multi-dc-active-passive'));
    const gw = tomls.get('ap-gw-1/gateway')!;
    expect(gw.apim.event_hub.event_listening_endpoints).toEqual(['tcp://10.1.1.11:5672', 'tcp://10.1.1.12:5672']);
    expect(gw.apim.event_hub.service_url).toBe('https://10.1.0.10/services/');
    expect(gw.apim.throttling.throttle_decision_endpoints).toEqual(['tcp://10.3.2.11:5672', 'tcp://10.3.2.12:5672']);
    expect(gw.apim.sync_runtime_artifacts.gateway.gateway_labels).toEqual(['ap-southeast']);
    const cp = tomls.get('eu-cp-1/control-plane')!;
    expect(cp.apim.gateway.environment.map((e: any) => e.name)).toEqual(['eu-west', 'ap-southeast']);
    expect(cp.apim.gateway.environment[1].https_endpoint).toBe('https://10.3.0.10:8243');
  });
});

describe('active-active specifics', () => {
  it('regions are identical: the same environment name and gateway labels in every datacenter, each region its own gateways', async () => {
    const tomls = deploymentTomls(await renderExample('multi-dc-active-active'));
    for (const dc of ['eu', 'us']) {
      const cp = tomls.get(`${dc}-cp-1/control-plane`)!;
      expect(cp.apim.gateway.environment.map((e: any) => e.name)).toEqual(['Default']);
      expect(tomls.get(`${dc}-gw-1/gateway`)!.apim.sync_runtime_artifacts.gateway.gateway_labels).toEqual(['Default']);
    }
    expect(tomls.get('eu-cp-1/control-plane')!.apim.gateway.environment[0].https_endpoint)
      .not.toBe(tomls.get('us-cp-1/control-plane')!.apim.gateway.environment[0].https_endpoint);
  });
});

describe('active-active cross-region events (docs-apim multi-DC pattern 1)', () => {
  it('every control plane publishes the five event streams to every other region\'s control planes through one jndi file per region', async () => {
    const nodes = await renderExample('multi-dc-active-active');
    const inv = await loadExample('multi-dc-active-active');
    const publishers = [
      ['notificationJMSPublisher', 'org.wso2.apimgt.notification.stream', 'notification'],
      ['tokenRevocationJMSPublisher', 'org.wso2.apimgt.token.revocation.stream', 'tokenRevocation'],
      ['keymgtEventJMSEventPublisher', 'org.wso2.apimgt.keymgt.stream', 'keyManager'],
      ['asyncWebhooksEventPublisher-1.0.0-', 'org.wso2.apimgt.webhooks.request.stream', 'asyncWebhooksData'],
      ['blockingEventJMSPublisher', 'org.wso2.blocking.request.stream', 'throttleData'],
    ];
    for (const [dc, peer, region] of [['eu', 'us', 'Region2'], ['us', 'eu', 'Region1']] as const) {
      for (const cp of addresses(inv, 'control-plane', dc).map((a) => inv.hosts.find((h) => h.address === a)!.name)) {
        const node = nodes.find((n) => n.host === cp && n.role === 'control-plane')!;
        const jndi = node.files.find((f) => f.dest === `repository/conf/jndi-${region.toLowerCase()}.properties`)!;
        const brokers = addresses(inv, 'control-plane', peer).map((a) => `tcp\\://${a}\\:5672`).join(';');
        expect(jndi.content).toContain(`connectionfactory.TopicConnectionFactory = amqp://admin:${node.context.vars.admin_password!.reveal()}@clientid/carbon?brokerlist='${brokers}'&failover='roundrobin'\n`);
        expect(jndi.secret).toBe(true);
        expect(jndi.mode).toBe('0600');
        for (const [publisher, stream, topic] of publishers) {
          const xml = node.files.find((f) => f.dest === `repository/deployment/server/eventpublishers/${publisher}${region}.xml`)!.content;
          expect(xml).toContain(`<eventPublisher name="${publisher}${region}"`);
          expect(xml).toContain(`<from streamName="${stream}" version="1.0.0"/>`);
          expect(xml).toContain(`<property name="transport.jms.Destination">${topic}</property>`);
          expect(xml).toContain(`<property name="java.naming.provider.url">repository/conf/jndi-${region.toLowerCase()}.properties</property>`);
        }
        expect(node.files.filter((f) => f.dest.includes('eventpublishers/'))).toHaveLength(publishers.length);
      }
    }
    // Active-passive regions do not publish to each other: the central control plane is the only event hub.
    const ap = await renderExample('multi-dc-active-passive');
    expect(ap.flatMap((n) => n.files).filter((f) => f.dest.includes('eventpublishers/') || f.dest.includes('jndi-region'))).toEqual([]);
  });
});

describe('drained nodes', () => {
  it('marks a drained gateway down in every nginx upstream and leaves the order alone', async () => {
    const nodes = await renderExample('pattern-3', { drained: [{ host: 'gw-2', role: 'gateway' }] });
    const conf = fileOf(nodes, 'lb-1', '/etc/nginx/nginx.conf');
    expect(conf).toContain('server 10.0.3.11:8243;\n        server 10.0.3.12:8243 down;\n        server 10.0.3.13:8243;');
    expect(conf).toContain('server 10.0.3.11:8280;\n        server 10.0.3.12:8280 down;');
    expect(conf).toContain('server 10.0.3.12:9443 down backup;');
    expect(conf).not.toContain('10.0.3.11:8243 down');
  });
  it('HAProxy (lab) is never re-rendered to drain: its runtime API does it; a rendered drain shows as `disabled`', async () => {
    const nodes = await renderExample('lab', { drained: [{ host: 'gw-2', role: 'gateway' }] });
    const lb = nodes.find((n) => n.role === 'load-balancer')!;
    expect(lb.runtime.balancer?.drain).toBe('runtime');
    const conf = fileOf(nodes, 'lb-1', '/etc/haproxy/haproxy.cfg');
    expect(conf).toContain('server 10.213.7.16:8280 10.213.7.16:8280 verify none check check-ssl port 9443 disabled');
    expect(conf).not.toContain('10.213.7.15:8280 verify none check check-ssl port 9443 disabled');
  });
});
