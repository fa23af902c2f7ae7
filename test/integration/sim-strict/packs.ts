/**
 * Simulated 4.6.0 packs on this machine for the strictness tests: build once, unpack copies, start them with their
 * own scripts on free port offsets, read their logs, stop everything started.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDistributions } from '../../../src/lab/dist/build.js';
import { alive, freePortOffset, sleep, tryGet, waitFor, type HttpAnswer } from '../support/index.js';
import { removeRequestLogs } from '../support/local-run.js';

const run = promisify(execFile);
export const VERSION = '4.6.0';
export { sleep, waitFor };
export type Answer = HttpAnswer;
/** GET that never rejects (status 0: no answer); TLS certificates are not checked. */
export const get = (url: string): Promise<Answer> => tryGet(url, 3000);

export interface Pack {
  readonly home: string;
  readonly offset: number;
  readonly script: string;
}

export class PackLab {
  readonly root = mkdtempSync(join(tmpdir(), 'sim-strict-'));
  readonly env: NodeJS.ProcessEnv;
  private readonly started = new Set<number>();

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

  freeOffset(): Promise<number> {
    return freePortOffset();
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
    await waitFor('pid file', () => existsSync(join(p.home, 'wso2carbon.pid')), { timeoutMs: 30_000 });
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
    for (const pid of this.started) if (alive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && [...this.started].some(alive); i++) await sleep(100);
    for (const pid of this.started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
    removeRequestLogs(this.root);
  }
}
