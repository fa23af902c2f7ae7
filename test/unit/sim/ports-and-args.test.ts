import { describe, expect, it } from 'vitest';
import { componentFor, parseStartArgs } from '../../../sim/component/args.js';
import { effectiveOffset, portsFor } from '../../../sim/component/ports.js';
import { databaseTarget, maskUrl } from '../../../sim/component/database-url.js';

describe('port offset', () => {
  it('shifts every port of the component', () => {
    expect(portsFor('gateway', 10)).toEqual({
      https: 9453, http: 9773, passthroughHttp: 8290, passthroughHttps: 8253, websocket: 9109, websocketSecure: 8109,
    });
    expect(portsFor('traffic-manager', 3)).toEqual({ https: 9446, http: 9766, amqp: 5675, binary: 9614, binarySsl: 9714 });
    expect(portsFor('key-manager', 0)).toEqual({ https: 9443, http: 9763 });
    expect(Object.keys(portsFor('all-in-one', 0))).toHaveLength(9);
  });

  it('lets -DportOffset win over [server] offset', () => {
    expect(effectiveOffset(5, 7)).toBe(7);
    expect(effectiveOffset(5, undefined)).toBe(5);
    expect(effectiveOffset('2', undefined)).toBe(2);
    expect(effectiveOffset(undefined, undefined)).toBe(0);
    expect(() => effectiveOffset(-1, undefined)).toThrow(/non-negative integer/);
  });
});

describe('start arguments', () => {
  it('reads the script, carbon home, profile, offset and other system properties', () => {
    const args = parseStartArgs(['--sim-script=api-manager', '-Dcarbon.home=/opt/x', '-Dprofile=gateway-worker', '-DportOffset=2', '-Dfoo=bar']);
    expect(args).toMatchObject({ script: 'api-manager', carbonHome: '/opt/x', profile: 'gateway-worker', portOffset: 2 });
    expect(args.systemProperties['foo']).toBe('bar');
    expect(() => parseStartArgs(['-DportOffset=x'])).toThrow(/portOffset/);
  });

  it('maps scripts and 4.0–4.4 profiles to components', () => {
    const c = (argv: string[], profiles: boolean): string => componentFor(parseStartArgs(argv), profiles);
    expect(c(['--sim-script=gateway'], false)).toBe('gateway');
    expect(c(['--sim-script=api-cp'], false)).toBe('control-plane');
    expect(c(['--sim-script=key-manager'], false)).toBe('key-manager');
    expect(c(['--sim-script=traffic-manager'], false)).toBe('traffic-manager');
    expect(c(['--sim-script=api-manager'], true)).toBe('all-in-one');
    expect(c(['--sim-script=api-manager', '-Dprofile=gateway-worker'], true)).toBe('gateway');
    expect(c(['--sim-script=api-manager', '-Dprofile=api-key-manager-node'], true)).toBe('key-manager');
    expect(c(['--sim-script=api-manager', '-Dprofile=traffic-manager'], true)).toBe('traffic-manager');
    expect(c(['--sim-script=api-manager', '-Dprofile=gateway-worker'], false)).toBe('all-in-one');
    expect(() => c(['--sim-script=api-manager', '-Dprofile=nope'], true)).toThrow(/unknown profile "nope"/);
  });
});

describe('database location', () => {
  it('reads a JDBC url and masks passwords in it', () => {
    const db = databaseTarget('apim_db', {
      type: 'postgre', url: 'jdbc:postgresql://10.0.0.5:5433/apim_db?password=x&ssl=true', username: 'u', password: 'p',
    });
    expect(db).toMatchObject({ host: '10.0.0.5', port: 5433, database: 'apim_db', user: 'u', password: 'p' });
    expect(db?.display).toBe('jdbc:postgresql://10.0.0.5:5433/apim_db?password=****&ssl=true');
    expect(maskUrl('a;password=y;b')).toBe('a;password=****;b');
  });

  it('reads hostname/port/name and defaults the port per type; H2 needs no connection', () => {
    expect(databaseTarget('shared_db', { type: 'mysql', hostname: 'db', name: 'shared', username: 'u', password: 'p' }))
      .toMatchObject({ host: 'db', port: 3306, database: 'shared' });
    expect(databaseTarget('apim_db', { type: 'h2', url: 'jdbc:h2:./x' })).toBeUndefined();
    expect(() => databaseTarget('apim_db', { type: 'postgre', url: 'postgres://x' })).toThrow(/not a jdbc/);
  });
});
