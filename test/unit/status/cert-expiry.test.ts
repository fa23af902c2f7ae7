/** Certificate expiry as status and validate judge it, and how status prints it. */
import { describe, expect, it } from 'vitest';
import { expiryOf } from '../../../src/model/cert-expiry.js';
import { formatStatus, type StatusNodeView } from '../../../src/ui/status-table.js';

const NOW = new Date('2026-12-02T06:00:00Z');

describe('expiryOf', () => {
  it('is ok from 30 days on, a warning below, an error once expired', () => {
    expect(expiryOf({ validTo: 'Jan  1 06:00:00 2027 GMT' }, NOW)).toEqual({ level: 'ok', notAfter: '2027-01-01', daysLeft: 30 });
    expect(expiryOf({ validTo: 'Jan  1 05:59:59 2027 GMT' }, NOW)).toEqual({ level: 'warning', notAfter: '2027-01-01', daysLeft: 29 });
    expect(expiryOf({ validTo: 'Dec  2 06:00:01 2026 GMT' }, NOW)).toMatchObject({ level: 'warning', daysLeft: 0 });
    expect(expiryOf({ validTo: 'Dec  2 06:00:00 2026 GMT' }, NOW)).toMatchObject({ level: 'error', daysLeft: 0 });
    expect(expiryOf({ validTo: 'Nov 20 06:00:00 2026 GMT' }, NOW)).toEqual({ level: 'error', notAfter: '2026-11-20', daysLeft: -12 });
  });
});

describe('status certificates', () => {
  const node = (host: string, certificates: StatusNodeView['certificates'], ok = true): StatusNodeView => ({
    host, role: 'all-in-one', kind: 'wso2', unreachable: null, release: '4.6.0-a85b5ced', version: '4.6.0', versionDiffers: false,
    process: { state: 'running', pid: 134 }, health: { healthy: true, checks: [] }, drift: [], certificates, ok,
  });
  it('lists each served certificate with its expiry; an expired one is a problem of its node', () => {
    const out = formatStatus({ name: 'lab', pattern: '1', apimVersion: '4.6.0', urls: [], ok: false, nodes: [
      node('aio-1', [{ what: 'tls keystore aio.p12 (alias aio)', subject: 'CN=aio', notAfter: '2026-12-20', daysLeft: 18, level: 'warning' }]),
      node('aio-2', [{ what: 'tls keystore old.jks (alias old)', subject: 'CN=old', notAfter: '2026-11-20', daysLeft: -12, level: 'error' }], false),
      node('aio-3', [{ what: 'primary keystore k.p12 (alias k)', subject: 'CN=k', notAfter: '2027-12-01', daysLeft: 364, level: 'ok' }]),
    ] });
    expect(out).toContain('  aio-2/all-in-one\n    CERTIFICATE EXPIRED: tls keystore old.jks (alias old) (CN=old) expired on 2026-11-20\n');
    expect(out).toContain([
      'Certificates:',
      '  aio-1/all-in-one  tls keystore aio.p12 (alias aio)  expires 2026-12-20  WARNING: 18 day(s) left',
      '  aio-2/all-in-one  tls keystore old.jks (alias old)  expires 2026-11-20  EXPIRED',
      '  aio-3/all-in-one  primary keystore k.p12 (alias k)  expires 2027-12-01  364 days left',
    ].join('\n'));
  });
});
