/**
 * `apim-deploy provision` of pattern 0 (one all-in-one node, embedded H2) on one lab host through the real CLI:
 * every health endpoint answers from the controller, the sample API answers on 8280, the JDBC driver
 * (`apim.jdbc_driver`) sits in the release's lib, a re-run changes nothing. Uploaded archives carry sha256 stamps
 * that re-runs trust, yet an archive changed in place on the host (same size, same inode) is found and replaced.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/lab/dist/zip-writer.js';
import {
  baseVars, changedCount, failureSummary, healthEndpoints, httpGet, provisionCli, unhealthyEndpoints, useLab, wso2Pids, type DeploymentFiles,
} from './support/index.js';

const NAMES = ['aio-1'];
/**
 * Not a real driver, but laid out as one (validate checks a driver is a jar that registers a java.sql.Driver): the
 * simulation loads no JDBC classes; the bytes only have to arrive intact.
 */
const DRIVER = 'postgresql-42.7.4.jar';
const DRIVER_BYTES = writeZip([
  { path: 'META-INF/MANIFEST.MF', mode: 0o644, data: Buffer.from('Manifest-Version: 1.0\r\n\r\n') },
  { path: 'META-INF/services/java.sql.Driver', mode: 0o644, data: Buffer.from('org.postgresql.Driver\n') },
]);
const lab = useLab({ workspace: 'apim-prov-p0', lab: { name: 't-prov-a', names: NAMES, subnet: '10.213.210.0/24' } });
let files: DeploymentFiles;

beforeAll(async () => {
  writeFileSync(join(lab.ws.dir, DRIVER), DRIVER_BYTES);
  files = lab.deploy({
    name: 'p0', pattern: 0, hosts: { 'aio-1': {} }, roles: { 'all-in-one': ['aio-1'] }, vars: baseVars({ type: 'h2' }),
    apim: { jdbc_driver: { path: join(lab.ws.dir, DRIVER) } },
  });
}, 180_000);

describe('provision pattern 0 on one lab host', () => {
  it('starts the all-in-one node: health endpoints and /echo on 8280 answer', async () => {
    const run = await provisionCli(files.inventory);
    expect(run.stderr).toBe('');
    expect(run.code, failureSummary(run)).toBe(0);
    expect(changedCount(run.events)).toBeGreaterThan(0);

    const endpoints = await healthEndpoints(files.inventory);
    expect(endpoints.length).toBeGreaterThan(0);
    expect(await unhealthyEndpoints(endpoints)).toEqual([]);
    const echo = await httpGet(`http://${lab.address('aio-1')}:8280/echo`);
    expect(echo.status).toBe(200);
  }, 180_000);

  it('puts the JDBC driver into the running release\'s lib, owned by the service user', async () => {
    const lib = `/opt/wso2/all-in-one/current/repository/components/lib/${DRIVER}`;
    const [sum, owner] = (await lab.sh('aio-1', `sha256sum "${lib}" | cut -d' ' -f1; stat -c %U "${lib}"`)).trim().split('\n');
    expect(sum).toBe(createHash('sha256').update(DRIVER_BYTES).digest('hex'));
    expect(owner).toBe('wso2carbon');
  });

  it('a re-run changes nothing and keeps the process', async () => {
    const before = await wso2Pids(lab, ['aio-1/all-in-one']);
    expect(before['aio-1/all-in-one']).toBeGreaterThan(0);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    expect(changedCount(run.events)).toBe(0);
    expect(await wso2Pids(lab, ['aio-1/all-in-one'])).toEqual(before);
  }, 120_000);

  it('stamps uploaded archives; an archive changed in place on the host is still found and uploaded again', async () => {
    const zip = '/opt/wso2/.artifacts/all-in-one/wso2am-4.6.0.zip';
    const [stamp, sum] = (await lab.sh('aio-1', `cat "${zip}.apim-sha256"; sha256sum < "${zip}" | cut -d' ' -f1`)).trim().split('\n');
    expect(stamp).toMatch(new RegExp(`^${sum} \\d+ \\d+ \\d+\\.\\d{9} \\d+\\.\\d{9}$`));
    // One byte flipped in place: same size, same inode; only mtime and ctime tell.
    await lab.sh('aio-1', `printf X | dd of="${zip}" bs=1 seek=40 conv=notrunc status=none`);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const uploads = run.events.filter((e) => e.type === 'step-end' && e.status === 'changed' && e.kind === 'upload-artifact');
    expect(uploads.length).toBe(1);
    expect((await lab.sh('aio-1', `sha256sum < "${zip}" | cut -d' ' -f1`)).trim()).toBe(sum);
    const again = await provisionCli(files.inventory);
    expect(changedCount(again.events)).toBe(0);
  }, 180_000);
});
