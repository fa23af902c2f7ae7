import type { GreenHost, HostName, NodeRef } from '../../model/inventory.js';
import type { MigrationPhase, WriteWindow } from '../../model/migration.js';

export interface OutlineInput {
  readonly to: string;
  readonly window: WriteWindow;
  readonly green: readonly GreenHost[];
  /** Blue's WSO2 nodes, each of which gets a green twin on its host's partner. */
  readonly blueNodes: readonly NodeRef[];
  readonly balancers: readonly HostName[];
  /** nginx or haproxy, per balancer (the write window's view of them). */
  readonly balancerKinds: ReadonlyMap<HostName, string>;
  readonly databaseHost: HostName;
  readonly databases: readonly { readonly blue: string; readonly green: string }[];
  /** Multi-datacenter estates: each datacenter's balancers, in file order (empty: one datacenter). */
  readonly datacenters: readonly { readonly name: string; readonly balancers: readonly HostName[] }[];
}

/**
 * The phases after the databases, as lines: each is planned at its own moment (green's provision plan needs the
 * green databases; the switch needs green verified), by the code `provision` and `upgrade` plan with.
 */
export function laterPhases(p: OutlineInput): MigrationPhase[] {
  const partner = new Map(p.green.map((g) => [g.blue, g]));
  const byGreen = new Map<string, string[]>();
  for (const n of p.blueNodes) {
    const g = partner.get(n.host);
    if (g) byGreen.set(g.name, [...(byGreen.get(g.name) ?? []), n.role]);
  }
  const dbs = p.databases.map((d) => d.green).join(', ');
  const blueHosts = p.green.map((g) => g.blue);
  const lbs = p.balancers.length > 0 ? p.balancers.join(', ') : '(no balancer: the operator moves clients)';
  return [
    {
      name: 'provision-green', title: `provision green at ${p.to} on its own hosts`, steps: [],
      outline: [
        ...p.green.map((g) => `${g.name} (${g.address}, partner of ${g.blue}): ${(byGreen.get(g.name) ?? []).join(', ')} at ${p.to} on ${dbs}; blue untouched`),
        `${p.databases.length > 0 ? 'the database host: pg_hba.conf grants the partners the green databases, blue keeps its grants' : ''}`,
        `${p.balancers.length > 0 ? `${lbs}: the green-only listener to the gateway partners opens; every client listener stays on blue` : ''}`,
        'its steps are planned when the phase starts, from the green hosts\' facts, by the planner provision uses',
      ].filter((l) => l !== ''),
    },
    {
      name: 'verify-green', title: 'verify green before it takes traffic', steps: [],
      outline: [
        `health of every green node (each role's checks)`,
        `GET /echo through the green-only path of ${lbs}`,
        `the API records blue held at the backup are present on green`,
      ],
    },
    {
      name: 'switch', title: 'switch the balancers from blue to green, with drain', steps: [],
      outline: [
        ...p.balancers.map((b) => `${b}: client upstreams ${blueHosts.join(', ')} → ${p.green.map((g) => g.name).join(', ')}; ${switchHow(p.balancerKinds.get(b) ?? 'nginx', p.window)}`),
        ...(p.balancers.length === 0 ? [lbs] : []),
        ...(p.datacenters.length > 0 ? [`datacenter by datacenter: ${p.datacenters.map((d) => `${d.name} (${d.balancers.join(', ') || 'no balancer'})`).join(', then ')}; `
          + 'each is recorded when its balancers are on green, so a run stopped between datacenters leaves each one serving one side wholly and a re-run moves the rest; --rollback goes back in reverse order'] : []),
        `recorded: clients on green in the controller's migration.json, switch.done on ${p.databaseHost}; from then on every run (provision too) renders the balancers with green`,
      ],
    },
    {
      name: 'keep-blue', title: 'keep blue for the rollback window', steps: [],
      outline: [
        'blue keeps running on its hosts and databases, out of the balancers',
        'migrate --rollback: blue\'s health checked, then the balancers switch back to blue with the same drain (writes made on green since the switch stay on green)',
        'migrate --finish: blue is stopped and removed; the inventory then names green',
      ],
    },
  ];
}

/** How one balancer moves its clients (src/planner/migration/switch.ts), in a line. */
function switchHow(kind: string, window: WriteWindow): string {
  if (kind === 'haproxy') return 'runtime API, no reload: each green server probed and set ready once HAProxy sees it up, blue set maint and drained of its requests in flight; haproxy.cfg written after, without a reload';
  return `once it reaches every green port: the switch flag written (nginx.conf holds both sides and reads the flag per request: no reload)${window === 'read-only' ? ', the read-only rule removed' : ''}, then its connections to blue drained`;
}
