/**
 * A throwaway PostgreSQL 15 cluster on this machine (needs root and Debian's postgresql): owned by the `postgres`
 * user, data and socket in a fresh temp dir, listening on 127.0.0.1:<free port>, local connections trusted,
 * TCP connections by password (scram-sha-256), as the lab's database hosts run it.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface Postgres {
  readonly port: number;
  /** Holds the data dir, the log and the socket. */
  readonly dir: string;
  /** psql connection arguments for the superuser over the socket: `[...pg.superuser, '-d', 'postgres']`. */
  readonly superuser: readonly string[];
  /** Runs psql (ON_ERROR_STOP) as root; throws with its stderr when it fails. */
  psql(args: readonly string[], env?: NodeJS.ProcessEnv): string;
  /** Stops the server and removes its dir; safe to call twice. */
  stop(): void;
}

const id = (flag: '-u' | '-g'): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());

export async function startPostgres(prefix = 'apim-pg'): Promise<Postgres> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  chownSync(dir, id('-u'), id('-g'));
  const dataDir = join(dir, 'data');
  const asPostgres = (argv: readonly string[]): string =>
    execFileSync('runuser', ['-u', 'postgres', '--', ...argv], { encoding: 'utf8', cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let running = false;
  const stop = (): void => {
    try {
      if (running) asPostgres([`${PG_BIN}/pg_ctl`, '-D', dataDir, '-m', 'fast', '-w', 'stop']);
    } finally {
      running = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const port = await freePort();
    asPostgres([`${PG_BIN}/initdb`, '-D', dataDir, '--auth-local=trust', '--auth-host=scram-sha-256', '-U', 'postgres']);
    running = true; // from here on, stop() tries pg_ctl stop
    asPostgres([`${PG_BIN}/pg_ctl`, '-D', dataDir, '-l', join(dir, 'postgres.log'), '-w', '-t', '120',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
    return {
      port,
      dir,
      superuser: ['-h', dir, '-p', String(port), '-U', 'postgres'],
      psql: (args, env) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
        encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
      }),
      stop,
    };
  } catch (err) {
    try {
      stop();
    } catch { /* the start failed: keep its error, not the stop's */ }
    throw err;
  }
}
