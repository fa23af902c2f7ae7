/** A bounded load generator for upgrade tests and the benchmark: steady GETs through the load balancer. */
import { request } from 'node:http';

export interface LoadReport {
  readonly served: number;
  readonly failed: number;
  /** First few failures, for the assertion message. */
  readonly failures: readonly string[];
  /** Answers per `node@version` that served them. */
  readonly byNode: Readonly<Record<string, number>>;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
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

/** Starts `concurrency` loops of GET url (each waits `pauseMs` between requests); stop() ends them and reports. */
export function startLoad(url: string, opts: { concurrency?: number; pauseMs?: number } = {}): { stop(): Promise<LoadReport> } {
  let running = true;
  let served = 0;
  let failed = 0;
  const failures: string[] = [];
  const byNode: Record<string, number> = {};
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const a = await get(url);
        if (a.status === 200) {
          served++;
          const b = JSON.parse(a.body) as { node?: string; host?: string; version?: string };
          const k = `${b.host ?? b.node ?? '?'}@${b.version ?? '?'}`;
          byNode[k] = (byNode[k] ?? 0) + 1;
        } else {
          failed++;
          if (failures.length < 10) failures.push(`HTTP ${a.status}: ${a.body.slice(0, 120)}`);
        }
      } catch (err) {
        failed++;
        if (failures.length < 10) failures.push((err as Error).message);
      }
      await new Promise((r) => setTimeout(r, opts.pauseMs ?? 20));
    }
  };
  const loops = Array.from({ length: opts.concurrency ?? 4 }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { served, failed, failures, byNode };
    },
  };
}
