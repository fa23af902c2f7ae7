/**
 * Issue 16 through the real CLI (bin/apim-deploy as a child process): every hostile inventory of
 * test/fixtures/hostile-cases.ts exits 3 with file:line:col at the fault; files that are no files (FIFO, /dev/zero,
 * a directory) are refused without a hang; an alias bomb is exit 3, not 70; dotenv warnings carry their line; plans
 * carry no plain digest of a secret file; render stays inside --out; nginx -t accepts an IPv6 balancer; sh reads
 * back what quote.ts writes; the in-process zip reader agrees with Info-ZIP. No lab hosts: the addresses are
 * 127.0.0.1 ports nothing listens on (refused at once).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readZipEntry, zipDirectory } from '../../src/files/zip-directory.js';
import { commandLine } from '../../src/transport/quote.js';
import { caseText, HOSTILE_CASES, lineOf } from '../fixtures/hostile-cases.js';
import { ADMIN_PASSWORD, DB_PASSWORD, privateFileDigests, writeInventory } from '../fixtures/hostile-inventory.js';
import { hostileStrings } from '../unit/hostile/hostile-strings.js';
import { REPO_ROOT } from './support/index.js';

/** A temp dir removed when the test ends, pass or fail. */
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** The CLI with a deadline: a hang is a failure, never a stuck test. */
function cli(args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((done) => {
    execFile(join(REPO_ROOT, 'bin/apim-deploy'), [...args], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
  });
}

/** Runs `jobs` two at a time (the machine has two cores). */
async function pooled<T>(jobs: readonly (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

/** Hosts on 127.0.0.1 at ports nothing listens on: every connection is refused at once. */
const LOCAL_HOSTS = { 'cp-1': 'address: 127.0.0.1, port: 9', 'tm-1': 'address: 127.0.0.1, port: 11', 'gw-1': 'address: 127.0.0.1, port: 13', 'lb-1': 'address: 127.0.0.1, port: 15', 'db-1': 'address: 127.0.0.1, port: 17' };

describe('issue 16 through the CLI', () => {
  it(`every hostile inventory (${HOSTILE_CASES.length}) exits 3 with file:line:col: path: message at the fault`, async () => {
    const runs = await pooled(HOSTILE_CASES.map((c) => async () => {
      const w = writeInventory(caseText(c), c.env);
      const r = await cli(['validate', '-i', w.inventory, '--env-file', w.env]);
      return { c, w, r };
    }));
    for (const { c, w, r } of runs) {
      expect(r.code, `${c.name}:\n${r.stderr}`).toBe(3);
      const file = c.inEnv ? w.env : w.inventory;
      const line = lineOf(readFileSync(file, 'utf8'), c.at);
      const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
      const message = (l: string) => l.replace(/^.*?:\d+:\d+: /, '').replace(c.path ? `${c.path}: ` : '', '');
      const hit = r.stderr.split('\n').find((l) => l.startsWith(`${shown}:${line}:`) && c.message.test(message(l)));
      expect(hit, `${c.name}: no line ${shown}:${line}: matching ${c.message}\n${r.stderr.slice(0, 3000)}`).toBeDefined();
      if (c.path) expect(hit).toContain(`: ${c.path}: `);
      expect(r.stderr).not.toContain('internal error');
      // A huge value (the 900 kB case) is cut in the message, never echoed whole.
      expect(r.stderr.length, c.name).toBeLessThan(8_000);
      for (const secret of [ADMIN_PASSWORD, DB_PASSWORD]) expect(r.stderr + r.stdout).not.toContain(secret);
    }
  }, 900_000);

  it('a 50 MB inventory or dotenv file (one huge value) is refused from its size before it is read: exit 3, a short message', async () => {
    const w = writeInventory({ hosts: LOCAL_HOSTS });
    const huge = `name: x\nvars:\n  jvm_heap: "${'9'.repeat(50 * 1024 * 1024)}"\n`;
    const bigInventory = join(w.dir, 'big.yaml');
    const bigEnv = join(w.dir, 'big.env');
    writeFileSync(bigInventory, huge);
    writeFileSync(bigEnv, `ADMIN_PASSWORD=${'x'.repeat(50 * 1024 * 1024)}\n`);
    const runs = await pooled([
      () => cli(['validate', '-i', bigInventory]),
      () => cli(['validate', '-i', w.inventory, '--env-file', bigEnv]),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr.slice(0, 2000)).toBe(3);
      expect(r.stderr).toMatch(/is 50(\.0)? MiB, more than the 1 MiB allowed/);
      expect(r.stderr.length).toBeLessThan(2_000);
      expect(r.stderr).not.toContain('internal error');
    }
  }, 300_000);

  it('a FIFO, /dev/zero or a directory as -i, --env-file or --plan: exit 3 (2 for --plan), one sentence, no hang', async () => {
    const w = writeInventory({ hosts: LOCAL_HOSTS });
    const fifo = join(w.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cases: [string[], number, RegExp][] = [
      [['validate', '-i', fifo], 3, /inventory .*pipe is a FIFO \(named pipe\), not a file/],
      [['validate', '-i', '/dev/zero'], 3, /inventory \/dev\/zero is a character device/],
      [['validate', '-i', w.dir], 3, /is a directory, not a file/],
      [['validate', '-i', w.inventory, '--env-file', fifo], 3, /dotenv file .*pipe is a FIFO/],
      [['validate', '-i', w.inventory, '--env-file', '/dev/zero'], 3, /dotenv file \/dev\/zero is a character device/],
      [['render', '-i', '/dev/zero', '--out-dir', join(w.dir, 'out')], 3, /is a character device/],
      [['plan', '-i', fifo], 3, /is a FIFO/],
      [['provision', '-i', w.inventory, '--env-file', w.env, '--plan', fifo], 2, /--plan .*pipe is a FIFO/],
      [['provision', '-i', w.inventory, '--env-file', w.env, '--plan', '/dev/zero'], 2, /--plan \/dev\/zero is a character device/],
    ];
    const runs = await pooled(cases.map(([args]) => () => cli(args, 60_000)));
    runs.forEach((r, i) => {
      const [args, code, message] = cases[i]!;
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('internal error');
    });
  }, 600_000);

  it('an alias bomb exits 3 at the alias, and a dotenv "#" warning names its line but not the value', async () => {
    const bomb = HOSTILE_CASES.find((c) => c.item === '6' && c.text)!;
    const w = writeInventory(caseText(bomb));
    const r = await cli(['validate', '-i', w.inventory, '--env-file', w.env]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/inv\.yaml:\d+:\d+: YAML aliases here expand past 100 copies/);
    const warned = writeInventory({}, `ADMIN_PASSWORD=Adm1n#cut-off-tail\nDB_PASSWORD=${DB_PASSWORD}\n`);
    const v = await cli(['validate', '-i', warned.inventory, '--env-file', warned.env]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/inv\.env:1:1: ADMIN_PASSWORD: warning: an unquoted "#" starts a comment/);
    expect(v.stderr).not.toContain('cut-off-tail');
  }, 120_000);

  it('plan --json against hosts that refuse: secret files show HMACs, never their sha256; plan key 0600; --out refused while hosts are down', async () => {
    const w = writeInventory({ hosts: LOCAL_HOSTS });
    const out = join(w.dir, 'tree');
    const rendered = await cli(['render', '-i', w.inventory, '--env-file', w.env, '--out-dir', out]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const secretDigests = privateFileDigests(out);
    expect(secretDigests.length).toBeGreaterThan(0);
    const r = await cli(['plan', '-i', w.inventory, '--env-file', w.env, '--json', '--out', join(w.dir, 'plan.json')]);
    expect(r.code, r.stderr).toBe(1); // unreachable hosts
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe(3);
    expect(doc.plan.sealedWith).toMatch(/^[0-9a-f]{16}$/);
    for (const d of secretDigests) expect(r.stdout + r.stderr).not.toContain(d.slice(0, 12));
    expect(JSON.stringify(doc.plan)).toMatch(/"sha256": ?"hmac:[0-9a-f]{64}"/);
    expect(statSync(join(w.dir, 'inv.plan-key')).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('plan not saved');
    for (const secret of [ADMIN_PASSWORD, DB_PASSWORD]) expect(r.stdout + r.stderr).not.toContain(secret);
  }, 180_000);

  it('render refuses a tree with a planted link that leads out of --out, writing nothing outside', async () => {
    const w = writeInventory();
    const out = join(w.dir, 'out');
    const outside = tempDir('apim-outside-');
    mkdirSync(join(out, 'cp-1'), { recursive: true });
    symlinkSync(outside, join(out, 'cp-1', 'opt'));
    const r = await cli(['render', '-i', w.inventory, '--env-file', w.env, '--out-dir', out]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/leads outside .* through a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  }, 120_000);
});

describe('issue 16 checks that need other programs', () => {
  it('nginx -t accepts the balancer config rendered for IPv6 hosts', async () => {
    const w = writeInventory({ hosts: {
      'cp-1': 'address: "2001:db8::1"', 'tm-1': 'address: "2001:db8::2"', 'gw-1': 'address: "2001:db8::3"', 'lb-1': 'address: "2001:db8::4"', 'db-1': 'address: "2001:db8::5"',
    } });
    const out = join(w.dir, 'out');
    const r = await cli(['render', '-i', w.inventory, '--env-file', w.env, '--out-dir', out]);
    expect(r.code, r.stderr).toBe(0);
    const dir = tempDir('apim-nginx6-');
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const conf = readFileSync(join(out, 'lb-1/etc/nginx/nginx.conf'), 'utf8')
      .replaceAll('/etc/nginx/apim-deploy-tls.crt', cert).replaceAll('/etc/nginx/apim-deploy-tls.key', key)
      .replace('pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`).replace(/\/var\/log\/nginx\//g, `${dir}/`);
    expect(conf).toContain('server [2001:db8::3]:8243;');
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const t = spawnSync('nginx', ['-t', '-q', '-c', join(dir, 'nginx.conf'), '-p', dir], { encoding: 'utf8' });
    expect(t.stderr, conf).toBe('');
    expect(t.status).toBe(0);
  }, 120_000);

  it('sh reads back every hostile string (NUL aside) from the line quote.ts writes', () => {
    const strings = hostileStrings(16_2026, 14).filter((h) => !h.value.includes('\0') && !/[\ud800-\udfff]/.test(h.value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));
    for (const h of strings) {
      // The line on sh's stdin, as sshd hands a command to the shell: one argv string is capped at 128 KiB.
      const line = commandLine({ argv: ['printf', '%s', h.value] }).wire;
      const got = spawnSync('sh', [], { input: line, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      expect(got.status, h.label).toBe(0);
      expect(got.stdout, h.label).toBe(h.value);
      const env = spawnSync('sh', [], { input: commandLine({ argv: ['sh', '-c', 'printf %s "$V"'], env: { V: h.value } }).wire, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      expect(env.stdout, h.label).toBe(h.value);
    }
  }, 300_000);

  it('ss takes a bracketed IPv6 address after dst (the drain step writes it so)', () => {
    expect(spawnSync('ss', ['-Htn', 'state', 'established', 'dst', '[::1]']).status).toBe(0);
  });

  it('the in-process zip reader agrees with Info-ZIP on a zip Info-ZIP streamed (data descriptors)', () => {
    const dir = tempDir('apim-infozip-');
    mkdirSync(join(dir, 'wso2am-tm-4.6.0/bin'), { recursive: true });
    writeFileSync(join(dir, 'wso2am-tm-4.6.0/bin/traffic-manager.sh'), '#!/bin/sh\necho tm\n'.repeat(200));
    writeFileSync(join(dir, 'wso2am-tm-4.6.0/README'), 'é😀\n');
    const zip = join(dir, 'streamed.zip');
    // `zip -` writes to a pipe, so sizes go into data descriptors after each entry.
    writeFileSync(zip, execFileSync('zip', ['-q', '-r', '-', 'wso2am-tm-4.6.0'], { cwd: dir }));
    const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    const entries = zipDirectory(zip);
    expect(entries.map((e) => e.name)).toEqual(names);
    for (const e of entries.filter((x) => !x.name.endsWith('/'))) {
      expect(readZipEntry(zip, e).equals(execFileSync('unzip', ['-p', zip, e.name]))).toBe(true);
    }
  });
});
