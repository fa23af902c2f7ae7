/** Everything inside one simulated distribution zip, laid out like the real pack (reference §1.3). */
import type { ArchiveEntry } from './archive-entry.js';
import { jdkRange, type ApimVersion, type PackSpec } from './packs.js';
import type { SimSources } from './sim-sources.js';
import { fillTemplate } from './template.js';
import { migrationEntries } from './migration-entries.js';

export interface PackInputs {
  readonly spec: PackSpec;
  readonly version: ApimVersion;
  readonly fault: string;
  /** WSO2 Updates level the pack is updated to; 0 is the pack as released. */
  readonly updateLevel: number;
  readonly bundle: Buffer;
  readonly sources: SimSources;
  /** lib/wso2-sim-tls/SimTls.class: the node's JSSE helper (sim/java/SimTls.java). */
  readonly simTlsClass: Buffer;
}

const SERVER = 'repository/deployment/server';
const EMPTY_DIRS = [
  'repository/logs',
  'repository/database',
  'repository/components/lib',
  'repository/components/dropins',
  `${SERVER}/synapse-configs/default/api`,
  `${SERVER}/executionplans`,
  `${SERVER}/userstores`,
  `${SERVER}/eventpublishers`,
  `${SERVER}/webapps`,
  'tmp',
];

/** As the packs ship them (gateway/.../synapse-configs/default/inbound-endpoints/*.xml, product-apim v4.6.0). */
const websocketEndpoint = (name: string, protocol: 'ws' | 'wss', port: number): string =>
  `<inboundEndpoint xmlns="http://ws.apache.org/ns/synapse" name="${name}" protocol="${protocol}" suspend="false">\n` +
  `  <parameters><parameter name="inbound.ws.port">${port}</parameter></parameters>\n</inboundEndpoint>\n`;

/**
 * updates/product.txt names the product and base version (`<name>-<x.y.z>`, as bin/update_tool_setup.sh parses it);
 * the level stays out of the name (an updated pack keeps its version). Where the real update tool records the level
 * it applied was not found in the sources read: the lab writes it to updates/lab-update-level, a simulation device.
 */
function updateEntries(top: string, updateLevel: number): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [{ path: `${top}/updates/product.txt`, mode: 0o644, data: Buffer.from(`${top}\n`) }];
  if (updateLevel > 0) entries.push({ path: `${top}/updates/lab-update-level`, mode: 0o644, data: Buffer.from(`${updateLevel}\n`) });
  return entries;
}

export function packEntries({ spec, version, fault, updateLevel, bundle, sources, simTlsClass }: PackInputs): ArchiveEntry[] {
  const top = spec.topDir;
  const range = jdkRange(version);
  const file = (path: string, data: string | Buffer, mode = 0o644): ArchiveEntry => ({
    path: `${top}/${path}`,
    mode,
    data: typeof data === 'string' ? Buffer.from(data) : data,
  });
  const fill = (template: string, extra: Record<string, string> = {}): string =>
    fillTemplate(template, {
      PRODUCT: spec.product,
      VERSION: version.text,
      JDK_MIN: String(range.min),
      JDK_MAX: String(range.max),
      ...extra,
    });
  const faultNote = fault === 'none' ? '' : `Simulated fault: ${fault}\n`;
  const manifest = { product: spec.product, version: version.text, updateLevel, profiles: spec.profiles, fault };
  const entries: ArchiveEntry[] = [
    ...EMPTY_DIRS.map((d) => ({ path: `${top}/${d}`, mode: 0o755 })),
    file('bin/version.txt', `${spec.product} v${version.text}\n${faultNote}`),
    file('lib/wso2-sim.cjs', bundle),
    file('lib/wso2-sim.json', `${JSON.stringify(manifest, null, 2)}\n`),
    file('repository/conf/deployment.toml', sources.conf[spec.defaultConf] ?? ''),
    ...Object.entries(sources.keystores).map(([name, data]) => file(`repository/resources/security/${name}`, data)),
    file('lib/wso2-sim-tls/SimTls.class', simTlsClass),
    file('README-SIMULATED.txt', `${spec.product} ${version.text}: a SIMULATED distribution built by apim-deploy lab dist.\n` +
      'It starts a Node program (lib/wso2-sim.cjs) that emulates the component for tests; it is not WSO2 software.\n'),
  ];
  for (const script of spec.scripts) entries.push(file(`bin/${script}.sh`, fill(sources.startScript, { SCRIPT: script }), 0o755));
  const profiles = Object.keys(spec.templates);
  if (profiles.length > 0) {
    entries.push(file('bin/profileSetup.sh', fill(sources.profileSetup, { PROFILES: profiles.join(' ') }), 0o755));
    for (const [profile, conf] of Object.entries(spec.templates)) {
      entries.push(file(`repository/resources/conf/deployment-templates/${profile}.toml`, sources.conf[conf] ?? ''));
    }
  }
  for (const [path, text] of Object.entries(sources.dbscripts)) entries.push(file(`dbscripts/${path}`, fill(text)));
  // Migration runs where apim_db is opened: the all-in-one and control plane packs (the database role's dbscripts too).
  if (spec.defaultConf === 'all-in-one' || spec.defaultConf === 'control-plane') entries.push(...migrationEntries(top, version.text, sources.migration));
  entries.push(...updateEntries(top, updateLevel));
  for (const app of spec.webapps) entries.push({ path: `${top}/${SERVER}/webapps/${app}`, mode: 0o755 });
  if (spec.websocketEndpoints) {
    const dir = `${SERVER}/synapse-configs/default/inbound-endpoints`;
    entries.push(file(`${dir}/WebSocketInboundEndpoint.xml`, websocketEndpoint('WebSocketInboundEndpoint', 'ws', 9099)));
    entries.push(file(`${dir}/SecureWebSocketInboundEndpoint.xml`, websocketEndpoint('SecureWebSocketEP', 'wss', 8099)));
  }
  return entries;
}
