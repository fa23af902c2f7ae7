/**
 * Every health endpoint the inventory's roles declare, resolved per node from the rendered inventory, and
 * queried from the controller (not through the tool under test): proof from the outside that nodes answer.
 */
import { connect } from 'node:net';
import { loadInventory } from '../../../src/inventory/load.js';
import type { HealthCheck } from '../../../src/model/health.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { httpGet } from './http.js';

export interface NodeEndpoint {
  /** `host/role` */
  readonly node: string;
  readonly check: Extract<HealthCheck, { kind: 'http' | 'tcp' }>;
}

export async function healthEndpoints(inventory: string, envFile?: string): Promise<NodeEndpoint[]> {
  const inv = await loadInventory(inventory, envFile ? { envFile } : {});
  return renderInventory(inv).flatMap((r) => r.runtime.checks
    .filter((c): c is NodeEndpoint['check'] => c.kind === 'http' || c.kind === 'tcp')
    .map((check) => ({ node: `${r.host}/${r.role}`, check })));
}

function tcpOpen(host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: timeoutMs }, () => { s.destroy(); resolve(true); });
    s.on('timeout', () => { s.destroy(); resolve(false); });
    s.on('error', () => resolve(false));
  });
}

/** One line per endpoint that does not answer as its role expects (empty when all are healthy). */
export async function unhealthyEndpoints(endpoints: readonly NodeEndpoint[]): Promise<string[]> {
  const answers = await Promise.all(endpoints.map(async ({ node, check }): Promise<string | null> => {
    if (check.kind === 'tcp') return (await tcpOpen(check.host, check.port)) ? null : `${node}: tcp ${check.host}:${check.port} closed`;
    try {
      const a = await httpGet(check.url);
      const ok = check.expectStatus.includes(a.status) && (!check.bodyContains || a.body.includes(check.bodyContains));
      return ok ? null : `${node}: ${check.url} answered HTTP ${a.status}`;
    } catch (err) {
      return `${node}: ${check.url}: ${(err as Error).message}`;
    }
  }));
  return answers.filter((a): a is string => a !== null);
}
