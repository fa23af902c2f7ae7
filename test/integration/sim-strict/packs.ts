/**
 * Simulated 4.6.0 packs on this machine for the strictness tests: build once, unpack copies, start them with their
 * own scripts on free port offsets, read their logs, stop everything started.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDistributions } from '../../../src/lab/dist/build.js';

const run = promisify(execFile);
export const VERSION = '4.6.0';
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Pack {
  readonly home: string;
  readonly offset: number;
  readonly script: string;
}

export interface Answer {
  readonly status: number; // 0: no HTTP answer
  readonly body: string;
}

export function get(url: string): Promise<Answer> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { rejectUnauthorized: false, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** Waits (generously: the machine may be busy) until `check` holds; returns the milliseconds it took. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(200);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0' }, () => server.close(() => resolve(true)));
  });
}

const BASE_PORTS = [9443, 9763, 8280, 8243, 9099, 5672, 9611, 9711];

export class PackLab {
  readonly root = mkdtempSync(join(tmpdir(), 'sim-strict-'));
  readonly env: NodeJS.ProcessEnv;
  private readonly started = new Set<number>();
  private readonly taken = new Set<number>();

  private constructor(env: NodeJS.ProcessEnv) {
    this.env = env;
  }

  static async create(): Promise<PackLab> {
    const lab = new PackLab({});
    await buildDistributions({ version: VERSION, outDir: join(lab.root, 'dist') });
    mkdirSync(join(lab.root, 'jdk'));
    execFileSync('tar', ['xzf', join(lab.root, 'dist', 'jdk-17.tar.gz'), '-C', join(lab.root, 'jdk'), '--strip-components=1']);
    Object.assign(lab.env, process.env, { JAVA_HOME: join(lab.root, 'jdk'), SIM_BOOT_DELAY_MS: '300' });
    delete lab.env['CARBON_HOME'];
    return lab;
  }

  get keytool(): string {
    return join(this.root, 'jdk', 'bin', 'keytool');
  }

  async freeOffset(): Promise<number> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const offset = 1000 + Math.floor(Math.random() * 20000);
      if (this.taken.has(offset)) continue;
      if ((await Promise.all(BASE_PORTS.map((p) => portFree(p + offset)))).every(Boolean)) {
        this.taken.add(offset);
        return offset;
      }
    }
    throw new Error('no free port offset');
  }

  /** Unpacks `kind` (acp, universal-gw, tm, or '' for the all-in-one) under a fresh name. */
  async unpack(kind: string, name: string, script: string): Promise<Pack> {
    const zip = kind === '' ? `wso2am-${VERSION}` : `wso2am-${kind}-${VERSION}`;
    const dest = join(this.root, name);
    mkdirSync(dest);
    execFileSync('unzip', ['-q', join(this.root, 'dist', `${zip}.zip`), '-d', dest]);
    const home = join(dest, zip);
    return { home, offset: await this.freeOffset(), script: join(home, 'bin', `${script}.sh`) };
  }

  writeToml(p: Pack, text: string): void {
    writeFileSync(join(p.home, 'repository', 'conf', 'deployment.toml'), text);
  }

  addJar(p: Pack, jar: string): void {
    execFileSync('cp', [join(this.root, 'dist', jar), join(p.home, 'repository', 'components', 'lib', jar)]);
  }

  log(p: Pack): string {
    const file = join(p.home, 'repository', 'logs', 'wso2carbon.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async start(p: Pack): Promise<void> {
    await run('sh', [p.script, 'start'], { env: this.env });
    await waitFor('pid file', () => existsSync(join(p.home, 'wso2carbon.pid')), 10_000);
    this.started.add(Number(readFileSync(join(p.home, 'wso2carbon.pid'), 'utf8').trim()));
  }

  /** Runs the script in the foreground (as for a node that refuses to start). */
  async foreground(p: Pack): Promise<{ code: number; stderr: string }> {
    try {
      const { stderr } = await run('sh', [p.script], { env: this.env, timeout: 60_000 });
      return { code: 0, stderr };
    } catch (err) {
      const e = err as { code?: number; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? '' };
    }
  }

  url(p: Pack, base: number, path: string, tls = false): string {
    return `${tls ? 'https' : 'http'}://127.0.0.1:${base + p.offset}${path}`;
  }

  async close(): Promise<void> {
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (const pid of this.started) if (alive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && [...this.started].some(alive); i++) await sleep(100);
    for (const pid of this.started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
  }
}
