/**
 * `upgrade` rolls one API Manager version in place, and `provision`/`plan` install one over what runs; a change of
 * version (a new database schema) goes blue-green through `migrate` (roles/wso2-server.yaml versionPolicy).
 * Read-only: it runs before the deploy lock, the recovery of a stopped run, any stage or any plan, so a refused run
 * changes nothing on any host.
 */
import { refuseFinishedMigration } from '../migrate/finish-gate.js';
import { refuseSwitchRecordMismatch } from '../migrate/switch-record-gate.js';
import { crossVersionNodes } from '../../catalog/version-policy.js';
import { wso2Server } from '../../catalog/variants.js';
import { UsageError } from '../../errors.js';
import { nodeKey } from '../../planner/build-plan.js';
import type { HostName } from '../../model/inventory.js';
import type { HostState } from '../../planner/inputs.js';
import type { RunContext } from '../run/open-run.js';
import { readNodeReleases, releasesKey, releaseVersion } from '../rollout/releases.js';

/**
 * The version each installed WSO2 node of the estate runs, by `host/role` (nodes not installed are left out). A host
 * whose facts were just read answers from its probe (it read every `current` link); only the others are asked.
 */
async function runningVersions(ctx: RunContext, known: ReadonlyMap<HostName, HostState>): Promise<Map<string, string>> {
  const nodes = ctx.desired.flatMap((d) => d.nodes).filter((n) => n.release !== null && ctx.transports.has(n.node.host));
  const toRead = nodes.filter((n) => !known.get(n.node.host)?.facts.links || !(n.release!.link in known.get(n.node.host)!.facts.links));
  const releases = toRead.length > 0 ? await readNodeReleases(ctx.transports, toRead.map((n) => ({ node: n.node, link: n.release!.link }))) : new Map();
  const running = new Map<string, string>();
  for (const n of nodes) {
    const link = n.release!.link;
    const probed = known.get(n.node.host)?.facts.links;
    const current = probed && link in probed ? (probed[link] ?? null) : (releases.get(releasesKey(n.node, link))?.current ?? null);
    const version = releaseVersion(current);
    if (version) running.set(nodeKey(n.node), version);
  }
  return running;
}

/** What each gated command does with one version, for the refusal's first words. */
const DOES = {
  upgrade: 'upgrade rolls one API Manager version in place (update levels, JDK and configuration changes)',
  provision: 'provision and plan install one API Manager version over what runs (update levels and configuration changes)',
} as const;

/**
 * Throws a UsageError naming the versions when any node of the estate runs a version of another schema. `known`:
 * facts already read this run (provision's), so those hosts are not asked again.
 */
export async function refuseCrossVersion(ctx: RunContext, inventoryArg: string, command: keyof typeof DOES = 'upgrade',
  known: ReadonlyMap<HostName, HostState> = new Map()): Promise<void> {
  refuseFinishedMigration(ctx.inventory, command);
  await refuseSwitchRecordMismatch(ctx, inventoryArg, command);
  const target = ctx.inventory.apim.version;
  const policy = wso2Server(ctx.catalog).versionPolicy;
  const cross = crossVersionNodes(policy, await runningVersions(ctx, known), target);
  if (cross.size === 0) return;
  const running = [...cross].map(([version, nodes]) => `${nodes.join(', ')} ${nodes.length === 1 ? 'runs' : 'run'} ${version}`).join('; ');
  const from = [...cross.keys()].join(' and ');
  throw new UsageError(
    `${DOES[command]}, and ${running} ` +
    `while the inventory names ${target}: ${from} → ${target} changes the database schema, so nodes of both versions ` +
    'cannot share apim_db and shared_db. Nothing was changed on any host.',
    `move to ${target} blue-green, migrating the databases: ${policy.migrateCommand} --to ${target} -i ${inventoryArg}`,
  );
}
