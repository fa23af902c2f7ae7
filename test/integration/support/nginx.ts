/** Debian's nginx as a throwaway HTTP load balancer on 127.0.0.1, in its own temp prefix (needs nginx; no root). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalNginx {
  readonly pid: number;
  readonly dir: string;
  /** Graceful stop (SIGQUIT), then removes its dir; safe to call twice. */
  stop(): void;
}

/**
 * Proxies 127.0.0.1:`port` to the `upstreams` ports on 127.0.0.1 with upstream keep-alive, and retries a request on
 * the next upstream on error, timeout or 503 (a restarting node answers 503 until ready, as a load balancer's
 * health rule would treat it).
 */
export function startNginx(port: number, upstreams: readonly number[]): LocalNginx {
  const dir = mkdtempSync(join(tmpdir(), 'apim-nginx-'));
  const servers = upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ');
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  upstream gw { ${servers} keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://gw;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_503;
    }
  }
}
`);
  execFileSync('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir]);
  const pid = Number(readFileSync(join(dir, 'nginx.pid'), 'utf8').trim());
  let stopped = false;
  return {
    pid,
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        process.kill(pid, 'SIGQUIT');
      } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
