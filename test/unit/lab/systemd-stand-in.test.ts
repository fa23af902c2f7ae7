/** The lab's systemd stand-in (src/lab/systemd): how it reads unit files and orders the boot, against the man pages. */
import { describe, expect, it } from 'vitest';
import { bootOrder } from '../../../src/lab/systemd/boot.js';
import { loadUnit, seconds, splitCommand, unitName, value, values } from '../../../src/lab/systemd/unit-file.js';
import { parseInitSystem } from '../../../src/facts/index.js';

// Debian 12's own units, trimmed: what the stand-in must read as systemd does.
const NGINX = `[Unit]
After=network-online.target remote-fs.target nss-lookup.target
[Service]
Type=forking
PIDFile=/run/nginx.pid
ExecStartPre=/usr/sbin/nginx -t -q -g 'daemon on; master_process on;'
ExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'
ExecStop=-/sbin/start-stop-daemon --quiet --stop --retry QUIT/5 --pidfile /run/nginx.pid
[Install]
WantedBy=multi-user.target
`;
const PG = `[Unit]
AssertPathExists=/etc/postgresql/%I/postgresql.conf
Before=postgresql.service
[Service]
Type=forking
ExecStart=-/usr/bin/pg_ctlcluster --skip-systemctl-redirect %i start
PIDFile=/run/postgresql/%i.pid
TimeoutStartSec=0
`;

describe('unit files (systemd.syntax(7), systemd.unit(5), systemd.service(5))', () => {
  it('splits command lines as systemd: quotes group words, a leading - ignores failure', () => {
    const u = loadUnit('nginx.service', NGINX, '/lib/systemd/system/nginx.service');
    expect(splitCommand(value(u, 'Service', 'ExecStart')!, {})).toEqual({ argv: ['/usr/sbin/nginx', '-g', 'daemon on; master_process on;'], ignoreFailure: false });
    expect(splitCommand(value(u, 'Service', 'ExecStop')!, {}).ignoreFailure).toBe(true);
    expect(values(u, 'Unit', 'After')).toEqual(['network-online.target remote-fs.target nss-lookup.target']);
  });

  it('expands $VAR into words and ${VAR} into one word (haproxy.service style)', () => {
    const env = { CONFIG: '/etc/haproxy/haproxy.cfg', EXTRAOPTS: '-S /run/haproxy-master.sock' };
    expect(splitCommand('/usr/sbin/haproxy -Ws -f $CONFIG $EXTRAOPTS "${EXTRAOPTS}"', env).argv)
      .toEqual(['/usr/sbin/haproxy', '-Ws', '-f', '/etc/haproxy/haproxy.cfg', '-S', '/run/haproxy-master.sock', '-S /run/haproxy-master.sock']);
  });

  it('fills a template instance\'s specifiers: %i as given, %I unescaped (- is /)', () => {
    const u = loadUnit('postgresql@15-main.service', PG, '/lib/systemd/system/postgresql@.service');
    expect(value(u, 'Service', 'PIDFile')).toBe('/run/postgresql/15-main.pid');
    expect(value(u, 'Unit', 'AssertPathExists')).toBe('/etc/postgresql/15/main/postgresql.conf');
    expect(seconds(value(u, 'Service', 'TimeoutStartSec'), 90)).toBe(Infinity);
  });

  it('a repeated key adds a value, an empty one resets the list; a backslash continues the line', () => {
    const u = loadUnit('x.service', '[Service]\nExecStartPre=/bin/a\nExecStartPre=\nExecStartPre=/bin/b \\\n  --flag\n', '/x');
    expect(values(u, 'Service', 'ExecStartPre')).toEqual(['/bin/b    --flag']);
  });

  it('names without a suffix are services; times in systemd.time(7) forms', () => {
    expect(unitName('postgresql@15-main')).toBe('postgresql@15-main.service');
    expect(unitName('multi-user.target')).toBe('multi-user.target');
    expect([seconds('120', 0), seconds('5s', 0), seconds('2min', 0), seconds(undefined, 90)]).toEqual([120, 5, 120, 90]);
  });
});

describe('boot order (bootup(7): what multi-user.target wants, After=/Before= among them)', () => {
  it('starts a unit after those it is ordered after, whichever side says it', () => {
    expect(bootOrder([
      { name: 'wso2am-all-in-one.service', after: ['network-online.target', 'postgresql@15-main.service'], before: [] },
      { name: 'nginx.service', after: ['network-online.target'], before: [] },
      { name: 'postgresql.service', after: [], before: [] },
      { name: 'postgresql@15-main.service', after: ['network.target'], before: ['postgresql.service'] },
    ])).toEqual(['nginx.service', 'postgresql@15-main.service', 'postgresql.service', 'wso2am-all-in-one.service']);
  });

  it('an ordering cycle still starts every unit', () => {
    expect(bootOrder([{ name: 'a.service', after: ['b.service'], before: [] }, { name: 'b.service', after: ['a.service'], before: [] }]).sort())
      .toEqual(['a.service', 'b.service']);
  });
});

describe('the init-system fact (sd_booted(3))', () => {
  it('is systemd only when the probe saw /run/systemd/system', () => {
    expect(parseInitSystem('systemd\n')).toBe('systemd');
    expect(parseInitSystem('')).toBe('other');
  });
});
