/**
 * The pure planner on pattern 3 (inventories/lab.yaml) with facts made by hand: a fresh host gets its full install
 * with a reason per step; converged hosts get health verifications only; one changed file restarts one node; a new
 * release stops before it switches; dependants wait for the gates of the roles they depend on.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import type { Step } from '../../../src/model/plan.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { desiredState } from '../../../src/planner/desired-state.js';
import type { HostState, PlanInputs } from '../../../src/planner/inputs.js';
import { roleLayers } from '../../../src/planner/order.js';
import { resolve } from 'node:path';
import { loadInventory } from '../../../src/inventory/load.js';
import { fixturePki, loadExample } from '../render/examples.js';
import { allSteps, brief, changingSteps, converged, exampleInputs, fakeArtifact, inventoryInputs, routableGates, stepsOf } from './fixtures.js';

/** The inputs with one host's facts replaced. */
const withHost = (inputs: PlanInputs, host: string, edit: (s: HostState) => HostState): PlanInputs =>
  ({ ...inputs, state: new Map([...inputs.state].map(([h, s]) => [h, h === host ? edit(s) : s])) });
const kinds = (steps: readonly Step[]) => steps.map((s) => s.kind);

describe('buildPlan on fresh hosts', () => {
  it('gives a control plane host its full install, each step with its reason, in order', async () => {
    const plan = buildPlan(await exampleInputs('lab'));
    expect(plan.waves.map((w) => w.label)).toEqual(['stage', 'database + load-balancer', 'control-plane', 'traffic-manager', 'gateway', 'load balancers route']);
    const release = stepsOf(plan, 'cp-1').find((s) => s.kind === 'extract-archive' && s.id.includes('/control-plane/'))!;
    const id = release.id.split('/').at(-1)!;
    expect(id).toMatch(/^4\.6\.0-[0-9a-f]{8}$/);
    // The host's directories in one step (one install -d), parents before children.
    expect(stepsOf(plan, 'cp-1')[0]).toMatchObject({ kind: 'ensure-dir', mode: '0755', owner: 'root:root', paths: [
      '/opt/wso2/.artifacts', '/opt/wso2/.artifacts/acp', '/opt/wso2/.artifacts/jdk', '/opt/wso2/control-plane', '/opt/wso2/control-plane/releases', '/opt/wso2/jdk/releases',
    ] });
    expect(brief(stepsOf(plan, 'cp-1'))).toEqual([
      'ensure-dir/directories: missing',
      'run-once/user-wso2carbon: service user not set up',
      'upload-artifact//opt/wso2/.artifacts/jdk/jdk-17.tar.gz: not on host',
      'upload-artifact//opt/wso2/.artifacts/acp/wso2am-acp-4.6.0.zip: not on host',
      expect.stringMatching(/^extract-archive\/\/opt\/wso2\/jdk\/releases\/jdk-17-[0-9a-f]{8}: JDK jdk-17-[0-9a-f]{8} not unpacked$/),
      'link//opt/wso2/jdk/current: missing',
      `extract-archive//opt/wso2/control-plane/releases/${id}: release ${id} not unpacked`,
      `run-once//opt/wso2/control-plane/releases/${id}/persistent: new release: keep logs, tenants, user stores and H2 data outside it`,
      `upload-file//opt/wso2/control-plane/releases/${id}/repository/conf/deployment.toml: not on host`,
      `upload-file//opt/wso2/control-plane/releases/${id}/repository/resources/security/apim-deploy-ca.pem: not on host`,
      `upload-artifact//opt/wso2/control-plane/releases/${id}/repository/components/lib/jdbc-postgresql-sim.jar: not in the release`,
      'run-once/setup-control-plane-trusts-internal-ca: not done for this release',
      // The stage wave ends here: the rest waits for the database's health gate.
      'upload-file//opt/wso2/control-plane/wso2.env: not on host',
      `link//opt/wso2/control-plane/current: first release ${id}`,
      'start-component/control-plane: not running',
      'wait-healthy/control-plane: gate dependants on health',
    ]);
  });

  it('asks for the directories a host lacks, and none when it has them all', async () => {
    const inputs = await exampleInputs('lab');
    const present = ['/opt/wso2/.artifacts', '/opt/wso2/.artifacts/acp', '/opt/wso2/jdk/releases'];
    const partly = buildPlan(withHost(inputs, 'cp-1', (s) => ({ ...s, facts: { ...s.facts, markers: { ...s.facts.markers, ...Object.fromEntries(present.map((d) => [d, true])) } } })));
    expect(stepsOf(partly, 'cp-1').filter((s) => s.kind === 'ensure-dir')).toMatchObject([
      { paths: ['/opt/wso2/.artifacts/jdk', '/opt/wso2/control-plane', '/opt/wso2/control-plane/releases'], reason: 'missing' },
    ]);
    const all = [...present, '/opt/wso2/.artifacts/jdk', '/opt/wso2/control-plane', '/opt/wso2/control-plane/releases'];
    const none = buildPlan(withHost(inputs, 'cp-1', (s) => ({ ...s, facts: { ...s.facts, markers: { ...s.facts.markers, ...Object.fromEntries(all.map((d) => [d, true])) } } })));
    expect(stepsOf(none, 'cp-1').filter((s) => s.kind === 'ensure-dir')).toEqual([]);
    expect(stepsOf(none, 'cp-1')[0]!.after).toEqual([]);
  });

  it('marks an artifact upload absentWhenPlanned only where the probe found no file: not where it was unreadable or not asked', async () => {
    const inputs = await exampleInputs('lab');
    const uploads = (p: ReturnType<typeof buildPlan>) => Object.fromEntries(stepsOf(p, 'cp-1').filter((s) => s.kind === 'upload-artifact')
      .map((s) => [s.path.replace(/.*\//, ''), s.absentWhenPlanned ?? false]));
    const jdk = '/opt/wso2/.artifacts/jdk/jdk-17.tar.gz';
    const acp = '/opt/wso2/.artifacts/acp/wso2am-acp-4.6.0.zip';
    expect(uploads(buildPlan(inputs))).toEqual({ 'jdk-17.tar.gz': false, 'wso2am-acp-4.6.0.zip': false, 'jdbc-postgresql-sim.jar': false });
    const probed = buildPlan(withHost(inputs, 'cp-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [jdk]: null, [acp]: null }, unreadable: [acp] } })));
    expect(uploads(probed)).toEqual({ 'jdk-17.tar.gz': true, 'wso2am-acp-4.6.0.zip': false, 'jdbc-postgresql-sim.jar': false });
  });

  it('loads the database scripts only once PostgreSQL is up and healthy', async () => {
    const db = kinds(stepsOf(buildPlan(await exampleInputs('lab')), 'db-1'));
    const healthy = db.indexOf('wait-healthy');
    expect(db.indexOf('start-component')).toBeLessThan(healthy);
    expect(db.slice(healthy + 1)).toEqual(['run-once', 'run-once', 'run-once']);
  });

  it('fills each new release in the stage wave, so a start wave only configures outside it, switches, starts and waits', async () => {
    const plan = buildPlan(await exampleInputs('lab'));
    const [stage, ...starts] = plan.waves;
    const releaseSteps = allSteps(plan).filter((s) => s.node && (s.kind === 'extract-archive' ||
      ((s.kind === 'upload-file' || s.kind === 'upload-artifact') && s.path.includes('/releases/')) || (s.kind === 'run-once' && s.id.endsWith('/persistent'))));
    expect(releaseSteps.filter((s) => s.kind === 'run-once')).toHaveLength(6);
    expect(releaseSteps.filter((s) => s.kind === 'extract-archive').map((s) => s.host).sort()).toEqual(['cp-1', 'cp-2', 'gw-1', 'gw-2', 'tm-1', 'tm-2']);
    expect(releaseSteps.every((s) => stage!.steps.includes(s))).toBe(true);
    for (const wave of starts) expect(wave.steps.some((s) => s.kind === 'extract-archive')).toBe(false);
    // In the stage wave a node's steps come after its host's own (JDK, artifacts), in one chain per host; the copies
    // run beside it in the transfer lane, each named by what unpacks it: the JDK's by the JDK, all of them by the release.
    const cp1 = stage!.steps.filter((s) => s.host === 'cp-1');
    const main = cp1.filter((s) => s.lane === undefined);
    const copies = cp1.filter((s) => s.lane === 'transfer');
    const jdkCopy = 'cp-1/upload-artifact//opt/wso2/.artifacts/jdk/jdk-17.tar.gz';
    const acpCopy = 'cp-1/upload-artifact//opt/wso2/.artifacts/acp/wso2am-acp-4.6.0.zip';
    expect(copies.map((s) => [s.id, s.after])).toEqual([[jdkCopy, ['cp-1/run-once/user-wso2carbon']], [acpCopy, ['cp-1/run-once/user-wso2carbon']]]);
    const unpacks = main.filter((s) => s.kind === 'extract-archive');
    const isCopy = (id: string): boolean => id === jdkCopy || id === acpCopy;
    expect(unpacks.map((s) => s.after.filter(isCopy))).toEqual([[jdkCopy], [jdkCopy, acpCopy]]);
    main.slice(1).forEach((s, i) => expect(s.after.filter((id) => !isCopy(id))).toEqual([main[i]!.id]));
    expect(main.at(-1)!.id).toBe('cp-1/run-once/setup-control-plane-trusts-internal-ca');
  });

  it('imports the internal CA into a new release in the stage wave, after the files it reads; a start wave runs no WSO2 setup', async () => {
    const plan = buildPlan(await exampleInputs('lab'));
    const [stage, ...starts] = plan.waves;
    const trusts = stage!.steps.filter((s) => s.kind === 'run-once' && s.id.includes('trusts-internal-ca'));
    expect(trusts.map((s) => s.host).sort()).toEqual(['cp-1', 'cp-2', 'gw-1', 'gw-2', 'tm-1', 'tm-2']);
    for (const step of trusts) {
      const chain = stage!.steps.filter((s) => s.host === step.host);
      const ca = chain.findIndex((s) => s.kind === 'upload-file' && s.path.endsWith('/apim-deploy-ca.pem'));
      expect(ca).toBeGreaterThanOrEqual(0);
      expect(chain.indexOf(step)).toBeGreaterThan(ca);
      expect(step.kind === 'run-once' && step.marker.includes('/releases/')).toBe(true);
    }
    // What is left to a WSO2 node's start wave: its environment file, the switch, the start, the gate.
    for (const wave of starts.filter((w) => w.label !== 'database + load-balancer' && w.label !== 'load balancers route')) {
      expect([...new Set(wave.steps.map((s) => s.kind))].sort()).toEqual(['link', 'start-component', 'upload-file', 'wait-healthy']);
    }
  });

  it('leaves the internal CA import in the node\'s own wave when its release is already current (the CA changed)', async () => {
    const inputs = await exampleInputs('lab');
    const cold = buildPlan(inputs);
    const linkOf = cold.waves.slice(1).flatMap((w) => w.steps).find((s) => s.host === 'gw-1' && s.kind === 'link')!;
    if (linkOf.kind !== 'link') throw new Error('not a link step');
    const current = withHost(inputs, 'gw-1', (s) => ({ ...s, facts: { ...s.facts, links: { ...s.facts.links, [linkOf.path]: linkOf.target } } }));
    const plan = buildPlan(current);
    const trusts = plan.waves.flatMap((w) => w.steps.filter((s) => s.host === 'gw-1' && s.id.includes('trusts-internal-ca')).map(() => w.label));
    expect(trusts).toEqual(['gateway']);
  });

  it('makes each dependant wait for the health gates of every node of the roles it depends on', async () => {
    const plan = buildPlan(await exampleInputs('lab'));
    // Its first step outside the stage wave: what the stage wave fills needs no dependency up.
    const firstNodeStep = (host: string, role: string) => plan.waves.slice(1).flatMap((w) => w.steps).find((s) => s.host === host && s.node?.role === role)!;
    // A node's gate is the end of its chain: its health check, or for the database the scripts loaded after it.
    const own = (s: Step, role: string) => s.node?.role === role && s.node.host === s.host;
    const gates = (role: string) => [...new Set(allSteps(plan).filter((s) => own(s, role)).map((s) => s.host))]
      .map((host) => allSteps(plan).filter((s) => s.host === host && own(s, role)).at(-1)!.id);
    expect(gates('control-plane')).toHaveLength(2);
    expect(firstNodeStep('tm-1', 'traffic-manager').after).toEqual(expect.arrayContaining([...gates('control-plane'), ...gates('load-balancer')]));
    expect(firstNodeStep('gw-2', 'gateway').after).toEqual(expect.arrayContaining([...gates('control-plane'), ...gates('traffic-manager'), ...gates('load-balancer')]));
    expect(gates('database')).toEqual(['db-1/run-once/setup-load-apim-db']);
    expect(firstNodeStep('cp-1', 'control-plane').after).toEqual(expect.arrayContaining(gates('database')));
    expect(firstNodeStep('cp-1', 'control-plane').after).not.toEqual(expect.arrayContaining(gates('traffic-manager')));
  });
});

describe('buildPlan on converged hosts', () => {
  it('plans only health verifications, and lists every host as up to date', async () => {
    const plan = buildPlan(converged(await exampleInputs('lab')));
    expect(new Set(allSteps(plan).map((s) => s.kind))).toEqual(new Set(['wait-healthy']));
    expect(allSteps(plan).every((s) => s.reason === 'verify the running node' && s.kind === 'wait-healthy' && s.policy.settleMs === 0)).toBe(true);
    expect(plan.unchanged.map((u) => u.host).sort()).toEqual(['cp-1', 'cp-2', 'db-1', 'gw-1', 'gw-2', 'lb-1', 'tm-1', 'tm-2']);
  });

  it('verifies every node in one wave, none waiting for another: nothing starts, so no dependency order applies', async () => {
    const plan = buildPlan(converged(await exampleInputs('lab')));
    expect(plan.waves.map((w) => w.label)).toEqual(['verify']);
    expect(allSteps(plan).map((s) => s.host).sort()).toEqual(['cp-1', 'cp-2', 'db-1', 'gw-1', 'gw-2', 'lb-1', 'tm-1', 'tm-2']);
    expect(allSteps(plan).filter((s) => s.after.length > 0)).toEqual([]);
  });

  it('keeps the dependency waves when one node changes: the gateways still wait for the traffic managers\' gates', async () => {
    const env = '/opt/wso2/traffic-manager/wso2.env';
    const plan = buildPlan(withHost(converged(await exampleInputs('lab')), 'tm-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [env]: 'f'.repeat(64) } } })));
    expect(plan.waves.length).toBeGreaterThan(1);
    const gwWait = allSteps(plan).find((s) => s.host === 'gw-1' && s.kind === 'wait-healthy')!;
    expect(gwWait.after).toContain('tm-1/wait-healthy/traffic-manager');
  });

  it('a file the role keeps present (HAProxy\'s read-only window map) is created empty where missing, before the config that loads it, and never reset', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const map = '/etc/haproxy/apim-deploy-window.map';
    const without = buildPlan(withHost(inputs, 'lb-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [map]: null, '/etc/haproxy/haproxy.cfg': 'f'.repeat(64) } } })));
    const lb = changingSteps(without).filter((s) => s.host === 'lb-1');
    expect(lb.map((s) => s.id)).toEqual([`lb-1/upload-file/${map}`, 'lb-1/run-once//var/lib/apim-deploy/pending/load-balancer.reload',
      'lb-1/upload-file//etc/haproxy/haproxy.cfg', 'lb-1/reload-component/load-balancer']);
    // Reloaded, it checks its servers again: the run ends once it routes to every node it serves.
    expect(routableGates(without)).toEqual(['lb-1: cp-1/control-plane (1)', 'lb-1: cp-2/control-plane (1)', 'lb-1: gw-1/gateway (5)', 'lb-1: gw-2/gateway (5)']);
    expect(lb[0]).toMatchObject({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', expectSha256: null, mode: '0644', owner: 'root:root', secret: false });
    // Holding the window (what migrate wrote): left as it is.
    const held = buildPlan(withHost(inputs, 'lb-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [map]: 'a'.repeat(64) } } })));
    expect(stepsOf(held, 'lb-1').filter((s) => s.kind !== 'wait-healthy')).toEqual([]);
    expect(routableGates(held)).toEqual([]);
  });

  it('one changed file: upload, stop, start and gate on that node only', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const env = '/opt/wso2/gateway/wso2.env';
    const plan = buildPlan(withHost(inputs, 'gw-2', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [env]: 'f'.repeat(64) } } })));
    const changing = changingSteps(plan);
    expect(brief(changing)).toEqual([
      'run-once//var/lib/apim-deploy/pending/gateway.restart: kept until the change is applied, so an interrupted run still applies it',
      `upload-file/${env}: content differs`,
      `stop-component/gateway: restart: ${env} changed`,
      `start-component/gateway: restart: ${env} changed`,
    ]);
    expect(changing.every((s) => s.host === 'gw-2')).toBe(true);
    // The run ends once the balancer routes to the restarted gateway again, after its health gate: that one only. A run
    // that starts nothing has no such gate.
    expect(routableGates(buildPlan(inputs))).toEqual([]);
    const gate = allSteps(plan).find((s) => s.kind === 'wait-routable')!;
    expect(routableGates(plan)).toEqual(['lb-1: gw-2/gateway (5)']);
    expect(plan.waves.at(-1)).toMatchObject({ label: 'load balancers route', steps: [gate] });
    expect(gate).toMatchObject({ id: 'lb-1/wait-routable/in-service', skipHeldOut: true, state: expect.arrayContaining([expect.stringContaining('show servers state')]),
      after: ['lb-1/wait-healthy/load-balancer', 'gw-2/wait-healthy/gateway'], reason: "gw-2 (re)started: clients reach them once lb-1's own checks pass" });
    expect(gate.node).toBeUndefined();
    expect(plan.unchanged.map((u) => u.host)).not.toContain('gw-2');
  });

  it('a new pack that a host of the run holds already (a run stopped after it got there): the others copy it from that host, none from the controller', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const pack = { ...fakeArtifact('universal-gw', 'wso2am-universal-gw-4.6.0.zip', 'a rebuilt gateway pack'), size: 300 * 1024 * 1024 };
    const first = buildPlan({ ...inputs, artifacts: { ...inputs.artifacts, 'universal-gw': pack } });
    const archive = stepsOf(first, 'gw-1').find((s) => s.kind === 'upload-artifact')!;
    expect(stepsOf(first, 'gw-2').find((s) => s.kind === 'peer-fetch')).toMatchObject({ from: { host: 'gw-1' }, awaits: [archive.id] });
    if (archive.kind !== 'upload-artifact') throw new Error('unreachable');
    const held = withHost({ ...inputs, artifacts: { ...inputs.artifacts, 'universal-gw': pack } }, 'gw-1',
      (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [archive.path]: pack.sha256 } } }));
    const plan = buildPlan(held);
    expect(allSteps(plan).filter((s) => s.kind === 'upload-artifact' && s.path === archive.path)).toEqual([]);
    const fetch = stepsOf(plan, 'gw-2').find((s) => s.kind === 'peer-fetch');
    expect(fetch).toMatchObject({ path: archive.path, sha256: pack.sha256, from: { host: 'gw-1' } });
    expect(fetch && 'awaits' in fetch ? fetch.awaits : undefined).toBeUndefined();
  });

  it('a new release: unpack and configure it while running, stop, switch `current`, then start', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const plan = buildPlan({ ...inputs, artifacts: { ...inputs.artifacts, acp: fakeArtifact('acp', 'wso2am-acp-4.6.0.zip', 'a rebuilt pack') } });
    const cp = stepsOf(plan, 'cp-1');
    // Into the new release: deployment.toml, the internal CA and the JDBC driver; the CA goes into the new release's
    // truststore (control-plane-trusts-internal-ca, inRelease: it touches the new release alone) while the old one
    // still runs, so the node is down only from the stop to the switch and start.
    expect(kinds(cp)).toEqual([
      'upload-artifact', 'extract-archive', 'run-once', 'upload-file', 'upload-file', 'upload-artifact', 'run-once', 'stop-component', 'link',
      'start-component', 'wait-healthy',
    ]);
    expect(cp.find((s) => s.kind === 'stop-component')!.reason).toMatch(/release changes to 4\.6\.0-[0-9a-f]{8}$/);
    // Gateways and traffic managers run other packs: they only verify.
    expect(kinds(stepsOf(plan, 'gw-1'))).toEqual(['wait-healthy']);
  });
});

describe('a change uploaded by a run that failed before the restart', () => {
  const env = '/opt/wso2/gateway/wso2.env';
  const pending = '/var/lib/apim-deploy/pending/gateway.restart';

  it('is remembered on the host before the upload, and cleared by the start that applies it', async () => {
    const plan = buildPlan(withHost(converged(await exampleInputs('lab')), 'gw-2', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [env]: 'f'.repeat(64) } } })));
    const gw = stepsOf(plan, 'gw-2');
    const mark = gw.findIndex((s) => s.kind === 'run-once' && s.marker === pending);
    expect(mark).toBeGreaterThanOrEqual(0);
    expect(mark).toBeLessThan(gw.findIndex((s) => s.kind === 'upload-file'));
    const start = gw.find((s) => s.kind === 'start-component')!;
    expect(start.kind === 'start-component' && start.argv.slice(3, 5)).toEqual(['apply-pending', pending]);
  });

  it('restarts the node on the next run although its files are now in sync', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const plan = buildPlan(withHost(inputs, 'gw-2', (s) => ({ ...s, facts: { ...s.facts, markers: { ...s.facts.markers, [pending]: true } } })));
    expect(brief(changingSteps(plan))).toEqual([
      'stop-component/gateway: restart: an earlier run changed its config but never restarted it',
      'start-component/gateway: restart: an earlier run changed its config but never restarted it',
    ]);
    expect(changingSteps(plan).every((s) => s.host === 'gw-2')).toBe(true);
  });

  it('a pending nginx reload is retried as a reload, not a restart', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const marker = '/var/lib/apim-deploy/pending/load-balancer.reload';
    const plan = buildPlan(withHost(inputs, 'lb-1', (s) => ({ ...s, facts: { ...s.facts, markers: { ...s.facts.markers, [marker]: true } } })));
    expect(brief(changingSteps(plan))).toEqual(['reload-component/load-balancer: config changed: reload']);
  });
});

describe('JDBC driver (apim.jdbc_driver)', () => {
  const driver = fakeArtifact('jdbc-driver', 'postgresql-42.7.4.jar');
  const lib = (plan: ReturnType<typeof buildPlan>, host: string) => stepsOf(plan, host).filter((s) => s.kind === 'upload-artifact' && s.path.includes('/repository/components/lib/'));

  it('goes into the release lib of every node that opens a database: control planes, and at 4.6 gateways and traffic managers (shared_db)', async () => {
    const plan = buildPlan(await exampleInputs('lab', { artifacts: { 'jdbc-driver': driver } }));
    const [cp] = lib(plan, 'cp-1');
    expect(cp).toMatchObject({ localPath: '/controller/dist/postgresql-42.7.4.jar', sha256: driver.sha256, owner: 'wso2carbon:wso2', reason: 'not in the release' });
    expect(cp?.kind === 'upload-artifact' && cp.path).toMatch(/^\/opt\/wso2\/control-plane\/releases\/4\.6\.0-[0-9a-f]{8}\/repository\/components\/lib\/postgresql-42\.7\.4\.jar$/);
    for (const [host, role] of [['gw-1', 'gateway'], ['tm-1', 'traffic-manager']] as const) {
      const [jar] = lib(plan, host);
      expect(jar?.kind === 'upload-artifact' && jar.path).toMatch(new RegExp(`^/opt/wso2/${role}/releases/4\\.6\\.0-[0-9a-f]{8}/repository/components/lib/postgresql-42\\.7\\.4\\.jar$`));
    }
    expect(lib(plan, 'lb-1')).toEqual([]);
    // before `current` moves, so the first start already has it
    const currentLink = stepsOf(plan, 'cp-1').findIndex((s) => s.kind === 'link' && s.path.endsWith('/control-plane/current'));
    expect(currentLink).toBeGreaterThan(stepsOf(plan, 'cp-1').indexOf(cp!));
  });

  it('is left alone when its sha256 matches, and restarts the node alone when it changes', async () => {
    const inputs = converged(await exampleInputs('lab', { artifacts: { 'jdbc-driver': driver } }));
    expect(new Set(allSteps(buildPlan(inputs)).map((s) => s.kind))).toEqual(new Set(['wait-healthy']));
    const path = desiredState(inputs).find((d) => d.host.name === 'cp-2')!.nodes[0]!.libs[0]!.path;
    const plan = buildPlan(withHost(inputs, 'cp-2', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [path]: '0'.repeat(64) } } })));
    expect(brief(changingSteps(plan))).toEqual([
      'run-once//var/lib/apim-deploy/pending/control-plane.restart: kept until the change is applied, so an interrupted run still applies it',
      `upload-artifact/${path}: sha256 differs`,
      `stop-component/control-plane: restart: ${path} changed`,
      `start-component/control-plane: restart: ${path} changed`,
    ]);
  });
});

describe('the internal CA', () => {
  it('goes into the truststore of every WSO2 node, two on one host each with its own setup step', async () => {
    // cp-1 plays control-plane and traffic-manager (port_offsets).
    const inv = await loadInventory(resolve(import.meta.dirname, '../../fixtures/inventories/good/pattern-4.yaml'), { requireArtifacts: false });
    const plan = buildPlan(inventoryInputs({ ...inv, pki: fixturePki() }));
    expect(stepsOf(plan, 'cp-1').filter((s) => s.kind === 'run-once' && s.id.includes('trusts-internal-ca')).map((s) => s.id)).toEqual([
      'cp-1/run-once/setup-control-plane-trusts-internal-ca', 'cp-1/run-once/setup-traffic-manager-trusts-internal-ca',
    ]);
  });
});

describe('roleLayers', () => {
  it('orders roles by dependency depth, roles of one depth together', () => {
    const deps: Record<string, string[]> = { database: [], 'load-balancer': [], 'control-plane': ['database'], gateway: ['control-plane', 'load-balancer'] };
    expect(roleLayers(['gateway', 'control-plane', 'database', 'load-balancer'], (r) => deps[r] as never)).toEqual([
      ['database', 'load-balancer'], ['control-plane'], ['gateway'],
    ]);
  });

  it('a cycle in dependsOn is a ConfigError naming the roles in it', () => {
    const deps: Record<string, string[]> = { database: [], 'control-plane': ['gateway'], 'traffic-manager': ['control-plane'], gateway: ['traffic-manager'] };
    let thrown: unknown;
    try {
      roleLayers(['database', 'control-plane', 'traffic-manager', 'gateway'], (r) => deps[r] as never);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as Error).message;
    for (const role of ['control-plane', 'traffic-manager', 'gateway']) expect(message).toContain(role);
    expect(message).not.toContain('database');
  });
});

describe('the nginx switch flag during a migration (role.yaml absent)', () => {
  const FLAG = '/etc/nginx/apim-deploy-clients-on-green';
  const withGreen = async (traffic?: 'green') => {
    const inv = await loadExample('pattern-2');
    const green = ['apim-1', 'apim-2', 'gw-1', 'gw-2'].map((blue, i) => ({ blue, name: `${blue}-green`, address: `10.30.9.${11 + i}`, pos: { file: inv.file, line: 1, col: 1 } }));
    return converged(inventoryInputs({ ...inv, green, ...(traffic ? { traffic } : {}) }));
  };
  const lbSteps = (inputs: PlanInputs) => stepsOf(buildPlan(inputs), 'lb-1').filter((s) => s.kind !== 'wait-healthy').map((s) => `${s.kind} ${'path' in s ? s.path : ''}`);

  it('one left by an earlier migration is removed while clients are on blue, before a config that reads it is loaded', async () => {
    const inputs = await withGreen();
    expect(lbSteps(inputs)).toEqual([]);
    const stale = withHost(inputs, 'lb-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [FLAG]: 'f'.repeat(64), '/etc/nginx/nginx.conf': 'o'.repeat(64) } } }));
    const steps = lbSteps(stale);
    expect(steps[0]).toBe(`remove-file ${FLAG}`);
    expect(steps).toContain('upload-file /etc/nginx/nginx.conf');
    expect(steps.indexOf('upload-file /etc/nginx/nginx.conf')).toBeGreaterThan(0);
  });

  it('kept (written if missing, with no reload) while clients are on green; left alone without a migration', async () => {
    const onGreen = await withGreen('green');
    expect(lbSteps(onGreen)).toEqual([]);
    const lost = withHost(onGreen, 'lb-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [FLAG]: null } } }));
    expect(lbSteps(lost)).toEqual([`upload-file ${FLAG}`]);
    const plain = converged(await exampleInputs('pattern-2'));
    expect(lbSteps(withHost(plain, 'lb-1', (s) => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [FLAG]: 'f'.repeat(64) } } })))).toEqual([]);
  });
});
