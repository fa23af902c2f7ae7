/**
 * A node whose disk is full keeps serving, as Carbon's log4j2 appenders (ignoreExceptions=true) let it: its log
 * lines are dropped, and the sample backend's request log lives off the gateway's disk. /dev/full answers every write
 * with ENOSPC, as a full disk does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendOrReport, fileLogger } from '../../../sim/component/log.js';
import { answerEcho, echoRequestLog, type EchoNode } from '../../../sim/component/sample-api.js';
import { SOURCES } from '../../../sim/rules/sources.js';

const FULL = '/dev/full';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a log line on a full disk', () => {
  it('is dropped without throwing; the first failure is reported once on stderr, as log4j\'s status logger does', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const append = appendOrReport(FULL, 'CARBON_LOGFILE');
    expect(() => append('one\n')).not.toThrow();
    expect(() => append('two\n')).not.toThrow();
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]![0])).toMatch(/ERROR An exception occurred processing Appender CARBON_LOGFILE .*ENOSPC/);
    expect(SOURCES.log4jAppenders).toMatch(/ignoreExceptions defaults to true/);
  });

  it('does not stop a node\'s logger', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = fileLogger(FULL, false);
    expect(() => log.error('org.wso2.X', 'disk full')).not.toThrow();
  });

  it('still reaches a file that has room', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-log-'));
    try {
      fileLogger(join(dir, 'logs', 'wso2carbon.log'), false).info('c', 'started');
      expect(readFileSync(join(dir, 'logs', 'wso2carbon.log'), 'utf8')).toMatch(/ INFO \{c\} - started\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the sample backend\'s request log', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  const serve = async (node: EchoNode): Promise<{ url: string; answered: Promise<void>[] }> => {
    const answered: Promise<void>[] = [];
    server = createServer((req, res) => {
      answered.push(answerEcho(req, res, node, (status, type, body) => res.writeHead(status, { 'content-type': type }).end(body)));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`, answered };
  };

  it('is off the gateway\'s install disk, one file per installation', () => {
    const blue = echoRequestLog('/opt/wso2/gateway/releases/4.6.0-aaaa');
    expect(blue).toMatch(/^\/var\/tmp\/apim-sim-echo-requests[A-Za-z0-9._-]+\.log$/);
    expect(echoRequestLog('/opt/wso2/gateway/releases/4.6.0-bbbb')).not.toBe(blue);
  });

  it('records each answered POST', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-echo-'));
    try {
      const requestLog = join(dir, 'requests.log');
      const { url, answered } = await serve({ nodeName: 'gw-1', version: '4.6.0', component: 'gateway', requestLog });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"p-1"}' });
      expect(res.status).toBe(200);
      await Promise.all(answered);
      expect(readFileSync(requestLog, 'utf8')).toBe('POST p-1 gw-1 4.6.0\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('that cannot be written still lets the POST be answered, and says so on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { url, answered } = await serve({ nodeName: 'gw-3', version: '4.6.0', component: 'gateway', requestLog: FULL });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"p-2"}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ node: 'gw-3', id: 'p-2' });
    await expect(Promise.all(answered)).resolves.toBeDefined();
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/request log \/dev\/full: .*ENOSPC.*: POST p-2 gw-3 4\.6\.0\n/);
  });
});
