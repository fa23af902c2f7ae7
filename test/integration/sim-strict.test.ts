/**
 * The simulator as strict as the product (rules and sources: sim/rules/): simulated 4.6.0 nodes started locally with
 * their own scripts, good and bad configs, checked through their ports and their wso2carbon.log.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, PackLab, sleep, waitFor, type Pack } from './sim-strict/packs.js';

const ADMIN = '[super_admin]\nusername = "admin"\npassword = "admin"\n';
const SHARED_H2 = '[database.shared_db]\ntype = "h2"\nurl = "jdbc:h2:./repository/database/WSO2SHARED_DB;DB_CLOSE_ON_EXIT=FALSE"\nusername = "wso2carbon"\npassword = "wso2carbon"\n';
const server = (p: Pack, extra = ''): string => `[server]\nhostname = "127.0.0.1"\nnode_ip = "127.0.0.1"\noffset = ${p.offset}\n${extra}\n${ADMIN}\n`;
const environments = (names: readonly string[]): string => names.map((n) => `[[apim.gateway.environment]]\nname = "${n}"\ntype = "hybrid"\n`).join('\n');
const apimH2 = '[database.apim_db]\ntype = "h2"\nurl = "jdbc:h2:./repository/database/WSO2AM_DB;DB_CLOSE_ON_EXIT=FALSE"\n';

const cpToml = (p: Pack, envs: readonly string[], databases = `${apimH2}\n${SHARED_H2}`): string =>
  `${server(p)}${databases}\n[apim.event_hub]\nservice_url = "https://localhost:\${mgt.transport.https.port}/services/"\n\n${environments(envs)}`;

const gwToml = (p: Pack, hub: string, opts: { labels?: readonly string[]; role?: string } = {}): string =>
  `${server(p, opts.role ? `server_role = "${opts.role}"` : '')}${SHARED_H2}\n[apim.event_hub]\nservice_url = "${hub}"\n`
  + (opts.labels ? `\n[apim.sync_runtime_artifacts.gateway]\ngateway_labels = ${JSON.stringify(opts.labels)}\n` : '');

describe('the strict simulator, on this machine', () => {
  let lab: PackLab;
  let cp: Pack;
  let balancer: Server | undefined;

  beforeAll(async () => {
    lab = await PackLab.create();
    cp = await lab.unpack('acp', 'cp', 'api-cp');
    lab.writeToml(cp, cpToml(cp, ['dc1']));
    await lab.start(cp);
    await waitFor('control plane ready', async () => (await get(lab.url(cp, 9763, '/services/Version'))).status === 200);
  }, 180_000);

  afterAll(async () => {
    balancer?.close();
    await lab?.close();
  }, 60_000);

  it('keeps a gateway behind a balancer its truststore does not trust unready, with JSSE\'s PKIX error; trusting it with keytool lets it start', async () => {
    // The balancer: its own self-signed certificate, forwarding to the control plane's 9443.
    const dir = join(lab.root, 'lb');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'lb.key'), '-out', join(dir, 'lb.pem'),
      '-days', '2', '-subj', '/CN=lb.lab', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    balancer = createServer({ key: readFileSync(join(dir, 'lb.key')), cert: readFileSync(join(dir, 'lb.pem')) }, (req, res) => {
      const up = request({ host: '127.0.0.1', port: 9443 + cp.offset, path: req.url, method: req.method, rejectUnauthorized: false }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    });
    await new Promise<void>((r) => balancer!.listen(0, '127.0.0.1', r));
    const lbPort = (balancer.address() as AddressInfo).port;

    const gw = await lab.unpack('universal-gw', 'gw-lb', 'gateway');
    lab.writeToml(gw, gwToml(gw, `https://127.0.0.1:${lbPort}/services/`, { labels: ['dc1'] }));
    await lab.start(gw);
    const health = lab.url(gw, 9443, '/api/am/gateway/v2/server-startup-healthcheck', true);
    await waitFor('PKIX error in the log', () => lab.log(gw).includes('PKIX path building failed'));
    expect(lab.log(gw)).toContain(`ERROR {org.wso2.carbon.apimgt.impl.notifier.EventHubConnector} - Error while connecting to event hub https://127.0.0.1:${lbPort}/services/ : javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target`);
    await sleep(4500); // two more retries: still unready, and the cached verdict costs no JVM
    expect((await get(health)).status).toBe(503);
    expect(lab.log(gw)).not.toContain('WSO2 Carbon started');

    const truststore = join(gw.home, 'repository', 'resources', 'security', 'client-truststore.jks');
    execFileSync(lab.keytool, ['-importcert', '-noprompt', '-alias', 'lb', '-file', join(dir, 'lb.pem'), '-keystore', truststore,
      '-storetype', 'JKS', '-storepass', 'wso2carbon'], { stdio: 'ignore' });
    const imported = Date.now();
    await waitFor('gateway ready once the balancer is trusted', async () => (await get(health)).status === 200);
    console.log(`gateway ready ${Date.now() - imported} ms after the balancer's certificate was imported into its truststore`);
    expect((await get(lab.url(gw, 8280, '/echo'))).status).toBe(200);
  }, 120_000);

  it('deploys the sample API only on gateways whose labels match an environment of the control plane', async () => {
    const hub = `https://127.0.0.1:${9443 + cp.offset}/services/`;
    const matching = await lab.unpack('universal-gw', 'gw-dc1', 'gateway');
    const other = await lab.unpack('universal-gw', 'gw-default', 'gateway');
    lab.writeToml(matching, gwToml(matching, hub, { labels: ['dc1'], role: 'gateway-worker' }));
    lab.writeToml(other, gwToml(other, hub)); // no gateway_labels: ["Default"]
    await Promise.all([lab.start(matching), lab.start(other)]);
    for (const gw of [matching, other]) {
      await waitFor('gateway ready', async () => (await get(lab.url(gw, 9443, '/api/am/gateway/v2/server-startup-healthcheck', true))).status === 200);
    }
    expect((await get(lab.url(matching, 8280, '/echo'))).status).toBe(200);
    expect((await get(lab.url(other, 8280, '/echo'))).status).toBe(404);
    expect(lab.log(other)).toContain('No API deployed for gateway labels [Default]: the control plane deploys to [dc1]');
    expect(lab.log(matching)).toContain('Deploying API echo for gateway labels [dc1]');
    // server_role "gateway-worker" is unknown to the 4.6 gateway's infer.json: the node starts, a simulator note says so.
    expect(lab.log(matching)).toMatch(/WARN \{wso2-sim\} - \(simulator note; the product logs nothing here\) server_role "gateway-worker" is not a value this pack's infer.json knows \(default\)/);
  }, 120_000);

  it('an all-in-one serves the sample API only when its gateway_labels (default ["Default"]) match one of its environments', async () => {
    const aio = await lab.unpack('', 'aio', 'api-manager');
    lab.writeToml(aio, `${cpToml(aio, ['dc1'])}`);
    await lab.start(aio);
    await waitFor('all-in-one ready', async () => (await get(lab.url(aio, 9763, '/services/Version'))).status === 200);
    expect((await get(lab.url(aio, 8280, '/echo'))).status).toBe(404);
    expect(lab.log(aio)).toContain('No API deployed for gateway labels [Default]: the control plane deploys to [dc1]');
  }, 120_000);

  it('a control plane on PostgreSQL without the driver jar logs ClassNotFoundException and never starts; with the jar it goes on to its database', async () => {
    const pg = '[database.apim_db]\ntype = "postgre"\nurl = "jdbc:postgresql://127.0.0.1:1/apim_db"\nusername = "u"\npassword = "p"\n\n'
      + '[database.shared_db]\ntype = "postgre"\nurl = "jdbc:postgresql://127.0.0.1:1/shared_db"\nusername = "u"\npassword = "p"\n';
    const noDriver = await lab.unpack('acp', 'cp-nodriver', 'api-cp');
    lab.writeToml(noDriver, cpToml(noDriver, ['Default'], pg));
    await lab.start(noDriver);
    await waitFor('ClassNotFoundException logged', () => lab.log(noDriver).includes('java.lang.ClassNotFoundException: org.postgresql.Driver'));
    expect(lab.log(noDriver)).toMatch(/ERROR \{org\.apache\.tomcat\.jdbc\.pool\.ConnectionPool\} - Unable to create initial connections of pool\.\njava\.sql\.SQLException: org\.postgresql\.Driver\n/);
    expect((await get(lab.url(noDriver, 9763, '/services/Version'))).status).toBe(503);
    expect(lab.log(noDriver)).not.toContain('WSO2 Carbon started');

    const withDriver = await lab.unpack('acp', 'cp-driver', 'api-cp');
    lab.writeToml(withDriver, cpToml(withDriver, ['Default'], pg));
    lab.addJar(withDriver, 'jdbc-postgresql-sim.jar');
    await lab.start(withDriver);
    await waitFor('database probed', () => lab.log(withDriver).includes('Cannot connect to database apim_db at jdbc:postgresql://127.0.0.1:1/apim_db'));
    expect(lab.log(withDriver)).not.toContain('ClassNotFoundException');
  }, 120_000);

  it('a bare & in a MySQL URL makes master-datasources.xml unreadable; &amp; reaches the driver as &', async () => {
    const mysql = (url: string): string => `[database.apim_db]\ntype = "mysql"\nurl = "${url}"\nusername = "u"\npassword = "p"\ndriver = "com.mysql.cj.jdbc.Driver"\n\n${SHARED_H2}`;
    const bare = await lab.unpack('acp', 'cp-amp', 'api-cp');
    lab.writeToml(bare, cpToml(bare, ['Default'], mysql('jdbc:mysql://127.0.0.1:1/apim_db?useSSL=false&allowPublicKeyRetrieval=true')));
    lab.addJar(bare, 'jdbc-mysql-sim.jar');
    await lab.start(bare);
    await waitFor('datasource error logged', () => lab.log(bare).includes('Error in intializing system data sources'));
    expect(lab.log(bare)).toContain("expected a semi-colon after the reference for entity 'allowPublicKeyRetrieval'");
    expect(lab.log(bare)).not.toContain('WSO2 Carbon started');

    const escaped = await lab.unpack('acp', 'cp-amp-ok', 'api-cp');
    lab.writeToml(escaped, cpToml(escaped, ['Default'], mysql('jdbc:mysql://127.0.0.1:1/apim_db?useSSL=false&amp;allowPublicKeyRetrieval=true')));
    lab.addJar(escaped, 'jdbc-mysql-sim.jar');
    await lab.start(escaped);
    await waitFor('database probed', () => lab.log(escaped).includes('Cannot connect to database apim_db at jdbc:mysql://127.0.0.1:1/apim_db?useSSL=false&allowPublicKeyRetrieval=true'));
    expect(lab.log(escaped)).not.toContain('Error in intializing system data sources');
  }, 120_000);

  it('a 4.6 traffic manager without [database.shared_db] stops with the config mapper\'s error', async () => {
    const tm = await lab.unpack('tm', 'tm-noshared', 'traffic-manager');
    lab.writeToml(tm, `${server(tm)}[apim.event_hub]\nservice_url = "https://127.0.0.1:${9443 + cp.offset}/services/"\n`);
    const result = await lab.foreground(tm);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SEVERE: Error while performing configuration changes\norg\.wso2\.config\.mapper\.ConfigParserException: Configuration with key database\.shared_db\.username doesn't exist/);
  }, 60_000);
});
