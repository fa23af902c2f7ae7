import { loadInventory } from '../inventory/load.js';
import { lockHost, lockRelease, lockStatus } from '../lock/index.js';
import { connect } from './run/connect.js';
import { RemoteError } from '../errors.js';
import { secretOptions, type SecretOptions } from '../secrets/sources.js';

/** `apim-deploy lock status|release`: connects to the lock host only. Returns the line to print and whether it is held. */
export async function deployLock(action: 'status' | 'release', opts: SecretOptions & { inventory: string; acceptNewHostKeys?: boolean }): Promise<{ line: string; locked: boolean }> {
  const inv = await loadInventory(opts.inventory, secretOptions(opts));
  const host = inv.hosts.find((h) => h.name === lockHost(inv))!;
  const connections = await connect([host], opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {});
  try {
    const t = connections.transports.get(host.name);
    if (!t) throw new RemoteError(host.name, `cannot reach the lock host: ${connections.unreachable.get(host.name)?.message ?? 'unreachable'}`);
    if (action === 'release') return { line: await lockRelease(inv, () => t), locked: false };
    const s = await lockStatus(inv, () => t);
    return { line: s.line, locked: s.locked };
  } finally {
    await connections.close();
  }
}
