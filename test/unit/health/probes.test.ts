import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Duplex } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../../src/errors.js';
import { defaultProber } from '../../../src/health/index.js';
import { remoteProbeCommand } from '../../../src/health/remote-probes.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { TcpForwardingRefused } from '../../../src/transport/transport.js';
import type { HealthCheck } from '../../../src/model/health.js';
import { shellTransport } from '../steps/shell.js';
import { waitFor } from '../../support/wait.js';

/** Real servers on loopback: the probes are tested against sockets, not mocks. */
let dir: string;
let http: Server;
let https: Server;
let httpPort: number;
let httpsPort: number;

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const handler = (req: { url?: string }, res: import('node:http').ServerResponse): void => {
  if (req.url === '/services/Version') res.end('<ns:getVersionResponse>WSO2 API Manager-4.6.0</ns:getVersionResponse>');
  else if (req.url === '/slow') setTimeout(() => res.end('late'), 3000);
  else res.writeHead(503).end('starting');
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apim-probes-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  http = createHttpServer(handler);
  https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, handler);
  httpPort = await listen(http);
  httpsPort = await listen(https);
});

afterAll(() => {
  http.closeAllConnections();
  https.closeAllConnections();
  http.close();
  https.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Probes that should answer get a deadline a busy machine cannot miss; only the timeout test uses a short one. */
const DEADLINE_MS = 30_000;

const httpCheck = (url: string, extra: Partial<Extract<HealthCheck, { kind: 'http' }>> = {}): HealthCheck => ({
  kind: 'http', url, expectStatus: [200], from: 'controller', insecureTls: false, ...extra,
});

describe('http probe from the controller', () => {
  it('passes on the expected status and body', async () => {
    const r = await defaultProber.probe(httpCheck(`http://127.0.0.1:${httpPort}/services/Version`, { bodyContains: 'WSO2 API Manager' }), { timeoutMs: DEADLINE_MS });
    expect(r).toMatchObject({ healthy: true, detail: `HTTP 200 from http://127.0.0.1:${httpPort}/services/Version` });
  });

  it('fails on another status, naming it', async () => {
    const r = await defaultProber.probe(httpCheck(`http://127.0.0.1:${httpPort}/publisher`), { timeoutMs: DEADLINE_MS });
    expect(r).toMatchObject({ healthy: false, detail: `HTTP 503 from http://127.0.0.1:${httpPort}/publisher (expected 200)` });
  });

  it('accepts a self-signed certificate only when the check allows it', async () => {
    const url = `https://127.0.0.1:${httpsPort}/services/Version`;
    expect((await defaultProber.probe(httpCheck(url, { insecureTls: true }), { timeoutMs: DEADLINE_MS })).healthy).toBe(true);
    const strict = await defaultProber.probe(httpCheck(url), { timeoutMs: DEADLINE_MS });
    expect(strict).toMatchObject({ healthy: false, detail: `DEPTH_ZERO_SELF_SIGNED_CERT from ${url}` });
  });

  it('times out instead of hanging', async () => {
    const url = `http://127.0.0.1:${httpPort}/slow`;
    expect(await defaultProber.probe(httpCheck(url), { timeoutMs: 200 })).toMatchObject({
      healthy: false, detail: `no answer from ${url} within 200 ms`,
    });
  });

  it('reports a refused connection', async () => {
    const closed = await freePort();
    const r = await defaultProber.probe(httpCheck(`http://127.0.0.1:${closed}/`), { timeoutMs: DEADLINE_MS });
    expect(r).toMatchObject({ healthy: false, detail: `ECONNREFUSED from http://127.0.0.1:${closed}/` });
  });
});

describe('tcp probe', () => {
  it('from the controller: open and closed ports', async () => {
    expect(await defaultProber.probe({ kind: 'tcp', host: '127.0.0.1', port: httpPort }, { timeoutMs: DEADLINE_MS })).toMatchObject({
      healthy: true, detail: `port 127.0.0.1:${httpPort} open`,
    });
    const closed = await freePort();
    expect(await defaultProber.probe({ kind: 'tcp', host: '127.0.0.1', port: closed }, { timeoutMs: DEADLINE_MS })).toMatchObject({
      healthy: false, detail: `port 127.0.0.1:${closed} closed`,
    });
  });

  it('from the host, over the transport', async () => {
    const t = shellTransport();
    const closed = await freePort();
    expect((await defaultProber.probe({ kind: 'tcp', host: '127.0.0.1', port: httpPort, from: 'host' }, { transport: t, timeoutMs: DEADLINE_MS })).healthy).toBe(true);
    expect(await defaultProber.probe({ kind: 'tcp', host: '127.0.0.1', port: closed, from: 'host' }, { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({
      healthy: false, detail: `port 127.0.0.1:${closed} (from host) closed`,
    });
  });
});

describe('checks run on the host with curl, grep and commands', () => {
  it('http from host with curl -sk', async () => {
    const t = shellTransport();
    const url = `https://127.0.0.1:${httpsPort}/services/Version`;
    const r = await defaultProber.probe(httpCheck(url, { from: 'host', insecureTls: true }), { transport: t, timeoutMs: DEADLINE_MS });
    expect(r).toMatchObject({ healthy: true, detail: `HTTP 200 from ${url} (from host)` });
    expect(t.lines).toEqual([`curl -q -s --noproxy '*' -k -o /dev/null --max-time 30 -w '%{http_code}' -- ${url}`]);
    const body = await defaultProber.probe(httpCheck(url, { from: 'host', insecureTls: true, bodyContains: '4.7.0' }), { transport: t, timeoutMs: DEADLINE_MS });
    expect(body).toMatchObject({ healthy: false, detail: `HTTP 200 from ${url} (from host) without "4.7.0" in the body` });
    const refused = await defaultProber.probe(httpCheck(`http://127.0.0.1:${await freePort()}/`, { from: 'host' }), { transport: t, timeoutMs: DEADLINE_MS });
    expect(refused.detail).toMatch(/curl exit 7 \(connection refused\)$/);
  });

  it('http and tcp from host go to the node, not through a proxy the login environment sets, and need no privilege', async () => {
    const t = shellTransport();
    const dead = await freePort();
    for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY']) vi.stubEnv(name, `http://127.0.0.1:${dead}`);
    try {
      const url = `https://127.0.0.1:${httpsPort}/services/Version`;
      expect(await defaultProber.probe(httpCheck(url, { from: 'host', insecureTls: true }), { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({ healthy: true });
      expect(await defaultProber.probe(httpCheck(`http://127.0.0.1:${httpPort}/services/Version`, { from: 'host' }), { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({ healthy: true });
    } finally {
      vi.unstubAllEnvs();
    }
    for (const check of [httpCheck('http://10.0.0.1:8280/', { from: 'host' }), { kind: 'tcp' as const, host: '10.0.0.1', port: 5432, from: 'host' as const }]) {
      expect(remoteProbeCommand(check, 5000)?.asLoginUser).toBe(true);
    }
    expect(remoteProbeCommand({ kind: 'log', file: '/opt/x.log', pattern: 'x' }, 5000)?.asLoginUser).toBeUndefined();
    expect(remoteProbeCommand({ kind: 'command', argv: ['true'] }, 5000)?.asLoginUser).toBeUndefined();
  });

  it('log line and command checks', async () => {
    const t = shellTransport();
    const log = join(dir, 'wso2carbon.log');
    writeFileSync(log, 'INFO starting\n');
    const started: HealthCheck = { kind: 'log', file: log, pattern: 'WSO2 Carbon started in [0-9]+ sec' };
    expect(await defaultProber.probe(started, { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({
      healthy: false, detail: `no line matching "WSO2 Carbon started in [0-9]+ sec" in ${log} yet`,
    });
    writeFileSync(log, 'INFO starting\nINFO WSO2 Carbon started in 41 sec\n');
    expect((await defaultProber.probe(started, { transport: t, timeoutMs: DEADLINE_MS })).healthy).toBe(true);
    expect((await defaultProber.probe({ ...started, file: join(dir, 'none.log') }, { transport: t, timeoutMs: DEADLINE_MS })).detail).toMatch(/^cannot read .*none\.log: grep: .*No such file/);
    expect(await defaultProber.probe({ kind: 'command', argv: ['sh', '-c', 'echo not ready >&2; exit 3'] }, { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({
      healthy: false, detail: "sh -c echo not ready >&2; exit 3 exited 3: not ready",
    });
  });

  it('a check that does not answer in time fails as a check (the gate polls it again); a lost connection still throws', async () => {
    const slow = await defaultProber.probe({ kind: 'command', argv: ['sleep', '30'] }, { transport: new LocalTransport('busy'), timeoutMs: 300 });
    expect(slow).toMatchObject({ healthy: false, detail: expect.stringMatching(/^no answer within 0\.3 s \(busy: command timed out after 300 ms/) });
    const lost = { host: 'gone', exec: () => Promise.reject(new TransportError('gone', 'unreachable', 'connection lost')) } as unknown as LocalTransport;
    await expect(defaultProber.probe({ kind: 'command', argv: ['true'] }, { transport: lost, timeoutMs: 300 })).rejects.toThrow('gone: connection lost');
  });
});

describe('checks through the node\'s SSH session (its sshd opens the connection)', () => {
  /** A recording transport that runs commands here and opens TCP connections from here, counting both. */
  function tunnelling(refuse = false) {
    const t = shellTransport();
    const opened: string[] = [];
    const openTcp = (host: string, port: number): Promise<Duplex> => {
      opened.push(`${host}:${port}`);
      return refuse ? Promise.reject(new TcpForwardingRefused('gw-1', 'open failed: administratively prohibited')) : new LocalTransport('gw-1').openTcp(host, port);
    };
    return { t: Object.assign(t, { openTcp }), opened };
  }

  it('a from-host http or tcp check starts no process on the host, and says it was the host\'s view', async () => {
    const { t, opened } = tunnelling();
    const url = `https://127.0.0.1:${httpsPort}/services/Version`;
    const r = await defaultProber.probe(httpCheck(url, { from: 'host', insecureTls: true, bodyContains: 'WSO2 API Manager' }), { transport: t, timeoutMs: DEADLINE_MS });
    expect(r).toMatchObject({ healthy: true, detail: `HTTP 200 from ${url} (from host)` });
    const closed = await freePort();
    expect(await defaultProber.probe({ kind: 'tcp', host: '127.0.0.1', port: closed, from: 'host' }, { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({
      healthy: false, detail: `port 127.0.0.1:${closed} (from host) closed`,
    });
    expect(opened).toEqual([`127.0.0.1:${httpsPort}`, `127.0.0.1:${closed}`]);
    expect(t.lines).toEqual([]);
  });

  it('ends at its deadline over a bare stream (an SSH channel has no socket timer), and when sshd is still connecting', async () => {
    // The stream an SSH channel is: a plain Duplex, no setTimeout.
    const bare = async (host: string, port: number): Promise<Duplex> => {
      const socket = new LocalTransport('gw-1');
      const s = await socket.openTcp(host, port);
      const d = new PassThroughDuplex(s);
      return d;
    };
    const url = `http://127.0.0.1:${httpPort}/slow`;
    const check = httpCheck(url, { from: 'host' });
    const slow = await defaultProber.probe(check, { transport: Object.assign(shellTransport(), { openTcp: bare }), timeoutMs: 200 });
    expect(slow).toEqual({ check, healthy: false, detail: `no answer from ${url} (from host) within 200 ms` });
    let late: Duplex | undefined;
    const connecting = (host: string, port: number): Promise<Duplex> =>
      new Promise((resolve) => setTimeout(() => void bare(host, port).then((d) => resolve((late = d))), 600));
    const t = Object.assign(shellTransport(), { openTcp: connecting });
    const never = await defaultProber.probe(httpCheck(`http://127.0.0.1:${httpPort}/services/Version`, { from: 'host' }), { transport: t, timeoutMs: 200 });
    expect(never).toMatchObject({ healthy: false, detail: expect.stringMatching(/within 200 ms$/) });
    await waitFor('the late stream to open', () => late !== undefined);
    await waitFor('the late stream to be closed', () => late!.destroyed);
    expect(t.lines).toEqual([]);
  });

  it('a certificate the host must trust is still checked by curl on the host', async () => {
    const { t, opened } = tunnelling();
    const url = `https://127.0.0.1:${httpsPort}/services/Version`;
    const r = await defaultProber.probe(httpCheck(url, { from: 'host' }), { transport: t, timeoutMs: DEADLINE_MS });
    expect(r.detail).toMatch(/curl exit 60 \(certificate not trusted\)$/);
    expect(opened).toEqual([]);
    expect(t.lines).toHaveLength(1);
  });

  it('where sshd allows no forwarding, from-host checks run on the host and the tunnel is not asked again; from-controller checks connect from here', async () => {
    const { t, opened } = tunnelling(true);
    const url = `http://127.0.0.1:${httpPort}/services/Version`;
    for (let i = 0; i < 2; i++) {
      expect(await defaultProber.probe(httpCheck(url, { from: 'host' }), { transport: t, timeoutMs: DEADLINE_MS })).toMatchObject({ healthy: true, detail: `HTTP 200 from ${url} (from host)` });
    }
    expect(opened).toHaveLength(1);
    expect(t.lines).toEqual([1, 2].map(() => `curl -q -s --noproxy '*' -o /dev/null --max-time 30 -w '%{http_code}' -- ${url}`));
    const other = tunnelling(true);
    expect(await defaultProber.probe(httpCheck(url), { transport: other.t, timeoutMs: DEADLINE_MS })).toMatchObject({ healthy: true, detail: `HTTP 200 from ${url}` });
    expect(await defaultProber.probe({ kind: 'tcp', host: '127.0.0.1', port: httpPort }, { transport: other.t, timeoutMs: DEADLINE_MS })).toMatchObject({ healthy: true });
    expect(other.opened).toHaveLength(1);
    expect(other.t.lines).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  return port;
}

/** A plain Duplex carrying a socket's bytes (what an SSH channel looks like to the HTTP client). */
class PassThroughDuplex extends Duplex {
  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => this.push(chunk));
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }
  override _final(cb: () => void): void {
    this.socket.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
