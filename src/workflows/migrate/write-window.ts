import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../../catalog/roles.js';
import { UsageError } from '../../errors.js';
import { EMPTY_CONTENT, type FileContent } from '../../model/plan.js';
import type { WindowBalancer } from '../../planner/migration/write-window.js';
import { remoteSha256 } from '../../steps/remote-facts.js';
import type { RunContext } from '../run/open-run.js';

export interface WindowFacts {
  readonly balancers: readonly WindowBalancer[];
  /** The rule files by sha256, for their upload steps. */
  readonly contents: ReadonlyMap<string, FileContent>;
}

/**
 * Every balancer of the inventory with its read-only window rule (roles/load-balancer/role.yaml, the file read from
 * templates/) and the rule's sha256 on the host now. An unreachable balancer is refused: a window must not be
 * half-closed or half-lifted.
 */
export async function readWindowFacts(ctx: Pick<RunContext, 'rendered' | 'transports' | 'unreachable'>, signal?: AbortSignal): Promise<WindowFacts> {
  // A window lifted by emptying its file (HAProxy's map) uploads the empty content.
  const contents = new Map<string, FileContent>([[EMPTY_CONTENT.sha256, EMPTY_CONTENT]]);
  const balancers: WindowBalancer[] = [];
  for (const lb of ctx.rendered.filter((r) => r.role === 'load-balancer')) {
    const spec = lb.runtime.balancer?.writeWindow;
    const kind = lb.context.vars.load_balancer;
    if (!spec || !lb.runtime.reload) {
      balancers.push({ host: lb.host, kind, rule: null, current: null });
      continue;
    }
    const t = ctx.transports.get(lb.host);
    if (!t) throw new UsageError(`${lb.host}: not connected (${ctx.unreachable.get(lb.host)?.message ?? 'unreachable'}): the read-only window rule lives on every balancer`);
    const content = readFileSync(join(TEMPLATES_DIR, spec.file), 'utf8');
    const sha256 = createHash('sha256').update(content).digest('hex');
    contents.set(sha256, { sha256, content, secret: false });
    balancers.push({ host: lb.host, kind, rule: { dest: spec.dest, sha256, reload: lb.runtime.reload, runtime: spec.runtime ?? null, lifted: spec.lifted ?? 'absent' }, current: await remoteSha256(t, spec.dest, signal) });
  }
  return { balancers, contents };
}
