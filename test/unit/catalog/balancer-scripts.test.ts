/**
 * The `balancer` commands of roles/load-balancer/role.yaml, run through a real sh against captured answers: HAProxy
 * 2.6's `show servers state` (a fake socat on PATH replays it and records what it was sent), and a rendered
 * nginx.conf. They must print the one format src/model/balancer-state.ts reads.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { resolveNodeRuntime } from '../../../src/catalog/runtime.js';
import { parseBalancerState } from '../../../src/model/balancer-state.js';
import { renderExample } from '../render/examples.js';

// `show servers state` from HAProxy 2.6.12 (Debian 12): one server up, one in maintenance, one draining and down.
const SHOW_SERVERS_STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 apim_gateway_http 1 10.0.0.5:8280 10.0.0.5 2 0 1 1 3 15 3 3 6 0 0 0 - 8280 - 0 9443 - - 0
3 apim_gateway_http 2 10.0.0.6:8280 10.0.0.6 0 1 1 1 3 15 3 0 14 0 0 0 - 8280 - 0 9443 - - 0
3 apim_gateway_http 3 10.0.0.7:8280 10.0.0.7 0 8 1 1 3 8 2 0 6 0 0 0 - 8280 - 0 9443 - - 0

`;

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lb-scripts-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A socat that records its stdin and answers `answer` (empty: what HAProxy answers a successful `set server`). */
function fakeSocat(answer: string): void {
  const script = `#!/bin/sh\ncat >> "${dir}/sent"\nprintf '%s' '${answer.replace(/'/g, `'\\''`)}'\n`;
  writeFileSync(join(dir, 'socat'), script);
  chmodSync(join(dir, 'socat'), 0o755);
}

const run = (argv: readonly string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });

async function balancerOf(balancer: 'nginx' | 'haproxy') {
  const role = defaultRoleCatalog()['load-balancer'];
  const lb = (await renderExample('lab')).find((r) => r.role === 'load-balancer')!;
  return resolveNodeRuntime(role, { ...lb.context, vars: { ...lb.context.vars, load_balancer: balancer } }).balancer!;
}

describe('HAProxy balancer commands', () => {
  it('state: one line per server, admin state from the flags, health from the operational state', async () => {
    fakeSocat(SHOW_SERVERS_STATE);
    const r = run((await balancerOf('haproxy')).state);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'apim_gateway_http/10.0.0.5:8280 ready up', 'apim_gateway_http/10.0.0.6:8280 maint down', 'apim_gateway_http/10.0.0.7:8280 drain down',
    ]);
    expect(readFileSync(join(dir, 'sent'), 'utf8')).toBe('show servers state\n');
    expect(parseBalancerState(r.stdout).size).toBe(3);
  });

  it('set: one admin-socket command per server; probe forces the health down so only fresh checks bring it up', async () => {
    fakeSocat('');
    const { set } = await balancerOf('haproxy');
    for (const to of ['maint', 'probe', 'ready']) expect(run([...set!, to, 'apim_gateway_http/10.0.0.5:8280', 'apim_gateway_https/10.0.0.5:8243']).status).toBe(0);
    expect(readFileSync(join(dir, 'sent'), 'utf8').trim().split('\n')).toEqual([
      'set server apim_gateway_http/10.0.0.5:8280 state maint', 'set server apim_gateway_https/10.0.0.5:8243 state maint',
      'show servers state apim_gateway_http',
      'set server apim_gateway_http/10.0.0.5:8280 health down; set server apim_gateway_http/10.0.0.5:8280 state drain',
      'show servers state apim_gateway_https',
      'set server apim_gateway_https/10.0.0.5:8243 health down; set server apim_gateway_https/10.0.0.5:8243 state drain',
      'set server apim_gateway_http/10.0.0.5:8280 state ready', 'set server apim_gateway_https/10.0.0.5:8243 state ready',
    ]);
  });

  it('set probe leaves a server in service and up as it is (a switch re-run must not take green out); one in maintenance or draining is probed', async () => {
    fakeSocat(SHOW_SERVERS_STATE);
    const { set } = await balancerOf('haproxy');
    const r = run([...set!, 'probe', 'apim_gateway_http/10.0.0.5:8280']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sent'), 'utf8')).toBe('show servers state apim_gateway_http\n');
    // The fake answers the state to every command, so the probe of a server not up fails on that answer: it was sent.
    for (const server of ['apim_gateway_http/10.0.0.6:8280', 'apim_gateway_http/10.0.0.7:8280']) {
      rmSync(join(dir, 'sent'));
      expect(run([...set!, 'probe', server]).status).toBe(1);
      expect(readFileSync(join(dir, 'sent'), 'utf8')).toContain(`set server ${server} health down; set server ${server} state drain`);
    }
  });

  it('the read-only window: `clear map` and `add map` on the admin socket (`read-only`), `clear map` (`writable`); an answer fails it', async () => {
    fakeSocat('\n');
    const window = (await balancerOf('haproxy')).writeWindow!;
    expect(window).toMatchObject({ file: 'load-balancer/read-only-window.haproxy.map', dest: '/etc/haproxy/apim-deploy-window.map', lifted: 'empty' });
    for (const to of ['read-only', 'writable']) expect(run([...window.runtime!, to]).status).toBe(0);
    expect(readFileSync(join(dir, 'sent'), 'utf8').trim().split('\n')).toEqual([
      'clear map /etc/haproxy/apim-deploy-window.map; add map /etc/haproxy/apim-deploy-window.map read-only 1',
      'clear map /etc/haproxy/apim-deploy-window.map',
    ]);
    fakeSocat('Unknown map identifier. Please use #<id> or <file>.\n');
    const refused = run([...window.runtime!, 'read-only']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Unknown map identifier');
    expect(run([...window.runtime!, 'open']).status).toBe(2);
  });

  it('sessions: requests in flight and queued per server, columns found by their header', async () => {
    fakeSocat([
      '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight',
      'apim_gateway_http,FRONTEND,,,3,9,4096,120,0,0,0,0,0,,,,,OPEN,',
      'apim_gateway_http,10.0.0.5:8280,0,0,1,2,,60,0,0,,0,,0,0,0,0,MAINT,1',
      'apim_gateway_http,10.0.0.6:8280,2,3,4,5,,60,0,0,,0,,0,0,0,0,UP,1',
      'apim_gateway_http,BACKEND,0,0,5,9,410,120,0,0,0,0,,0,0,0,0,UP,2', '',
    ].join('\n'));
    const r = run((await balancerOf('haproxy')).sessions!);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['apim_gateway_http/10.0.0.5:8280 1', 'apim_gateway_http/10.0.0.6:8280 6']);
  });

  it('set: fails with HAProxy\'s answer when it refuses a server', async () => {
    fakeSocat('No such server.\n');
    const r = run([...(await balancerOf('haproxy')).set!, 'maint', 'apim_gateway_http/10.9.9.9:8280']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('apim_gateway_http/10.9.9.9:8280: No such server.');
  });
});

describe('nginx balancer state', () => {
  it('reads the servers of every upstream from the config on the host, `down` ones as maint', async () => {
    const { state, drain } = await balancerOf('nginx');
    expect(drain).toBe('reload');
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, ['http {', '    upstream apim_gateway_http {', '        server 10.0.0.5:8280 down;', '        server 10.0.0.6:8280;',
      '        server 10.0.0.7:8280 backup;', '        keepalive 16;', '    }', '    server {', '        listen 8280;', '    }', '}', ''].join('\n'));
    const r = run([...state.slice(0, -2), conf, join(dir, 'no-flag')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['apim_gateway_http/10.0.0.5:8280 maint -', 'apim_gateway_http/10.0.0.6:8280 ready -', 'apim_gateway_http/10.0.0.7:8280 ready -']);
  });
  it('during a migration: both sides\' groups read as one upstream, the side the switch flag does not choose as maint', async () => {
    const { state, switchFlag } = await balancerOf('nginx');
    expect(state.at(-1)).toBe(switchFlag);
    const conf = join(dir, 'nginx.conf');
    const flag = join(dir, 'clients-on-green');
    // gw-2 (10.0.0.6) has no green partner: it is in both groups and serves either way.
    writeFileSync(conf, ['http {', '    upstream apim_gateway_http_blue {', '        server 10.0.0.5:8280;', '        server 10.0.0.6:8280;', '        keepalive 16;', '    }',
      '    upstream apim_gateway_http_green {', '        server 10.0.0.25:8280;', '        server 10.0.0.6:8280;', '        keepalive 16;', '    }',
      '    upstream apim_green_gateway_http {', '        server 10.0.0.25:8280;', '    }', '}', ''].join('\n'));
    const blue = run([...state.slice(0, -2), conf, flag]);
    expect(blue.status, blue.stderr).toBe(0);
    expect(blue.stdout.trim().split('\n')).toEqual(['apim_gateway_http/10.0.0.5:8280 ready -', 'apim_gateway_http/10.0.0.6:8280 ready -',
      'apim_gateway_http/10.0.0.25:8280 maint -', 'apim_green_gateway_http/10.0.0.25:8280 ready -']);
    writeFileSync(flag, '');
    const green = run([...state.slice(0, -2), conf, flag]);
    expect(green.stdout.trim().split('\n')).toEqual(['apim_gateway_http/10.0.0.5:8280 maint -', 'apim_gateway_http/10.0.0.6:8280 ready -',
      'apim_gateway_http/10.0.0.25:8280 ready -', 'apim_green_gateway_http/10.0.0.25:8280 ready -']);
  });
});
