/**
 * A bounded load generator for integration tests and the benchmarks: `concurrency` loops of GET url, each pausing
 * `pauseMs` between requests (0: none), until stop(); the report counts answers by the node and version that served them.
 */
import { Agent, request } from 'node:http';

export interface LoadReport {
  readonly served: number;
  readonly failed: number;
  /** First few failures, for the assertion message. */
  readonly failures: readonly string[];
  /** Answers per `node@version` that served them (the simulated sample API answers JSON naming both). */
  readonly byNode: Readonly<Record<string, number>>;
}

export interface LoadOptions {
  readonly concurrency?: number;
  readonly pauseMs?: number;
  /** Reuse connections (an HTTP keep-alive client, as browsers and API clients are) instead of one per request. */
  readonly keepAlive?: boolean;
}

function get(url: string, agent: Agent | false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', reject);
    req.end();
  });
}

function servedBy(body: string): string {
  try {
    const b = JSON.parse(body) as { node?: string; host?: string; version?: string };
    return `${b.host ?? b.node ?? '?'}@${b.version ?? '?'}`;
  } catch {
    return '?@?';
  }
}

export interface Load {
  /** The counts so far, while the load runs (to wait for it to have served some requests). */
  progress(): LoadReport;
  /** Ends the loops after their current request and reports. */
  stop(): Promise<LoadReport>;
}

export function startLoad(url: string, opts: LoadOptions = {}): Load {
  const concurrency = opts.concurrency ?? 4;
  const agent = opts.keepAlive ? new Agent({ keepAlive: true, maxSockets: concurrency }) : false;
  let running = true;
  let served = 0;
  let failed = 0;
  const failures: string[] = [];
  const byNode: Record<string, number> = {};
  const fail = (why: string): void => {
    failed++;
    if (failures.length < 10) failures.push(why);
  };
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const a = await get(url, agent);
        if (a.status === 200) {
          served++;
          const k = servedBy(a.body);
          byNode[k] = (byNode[k] ?? 0) + 1;
        } else {
          fail(`HTTP ${a.status}: ${a.body.slice(0, 120)}`);
        }
      } catch (err) {
        fail((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      }
      if (opts.pauseMs !== 0) await new Promise((r) => setTimeout(r, opts.pauseMs ?? 20));
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    progress: () => ({ served, failed, failures: [...failures], byNode: { ...byNode } }),
    async stop() {
      running = false;
      await Promise.all(loops);
      if (agent) agent.destroy();
      return { served, failed, failures, byNode };
    },
  };
}
