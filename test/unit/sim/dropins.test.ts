/** The simulator installs dropins bundles as Carbon's DropinsBundleDeployer does (sim/component/dropins.ts). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployDropins } from '../../../sim/component/dropins.js';
import type { Logger } from '../../../sim/component/log.js';
import { writeZip } from '../../../src/lab/dist/zip-writer.js';

function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (logger: string, message: string) => void lines.push(`${level} ${logger}: ${message}`);
  return { lines, log: { info: at('INFO'), warn: at('WARN'), error: at('ERROR') } as unknown as Logger };
}
const manifest = (text: string) => ({ path: 'META-INF/MANIFEST.MF', mode: 0o644, data: Buffer.from(text) });

describe('dropins bundles', () => {
  it('installs bundles with both headers, and logs the product errors for the others', () => {
    const home = mkdtempSync(join(tmpdir(), 'sim-dropins-'));
    const dir = join(home, 'repository', 'components', 'dropins');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.jar'), writeZip([manifest('Manifest-Version: 1.0\r\nBundle-SymbolicName: com.example.a;singleton:=true\r\nBundle-Version: 1.2.\r\n 3\r\n\r\n')]));
    writeFileSync(join(dir, 'b.jar'), writeZip([{ path: 'x.class', mode: 0o644, data: Buffer.from('x') }]));
    writeFileSync(join(dir, 'c.jar'), writeZip([manifest('Manifest-Version: 1.0\nBundle-SymbolicName: c\n')]));
    writeFileSync(join(dir, 'd.jar'), 'not a zip');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const { log, lines } = recorder();
    expect(deployDropins(home, log)).toEqual([{ file: 'a.jar', symbolicName: 'com.example.a', version: '1.2.3' }]);
    expect(lines).toEqual([
      'INFO wso2-sim: Deploying bundle: ../dropins/a.jar (com.example.a 1.2.3)',
      'ERROR org.wso2.carbon.server.extensions.DropinsBundleDeployer: Invalid Bundle found in the dropins directory: b.jar',
      `ERROR org.wso2.carbon.server.extensions.DropinsBundleDeployer: Required Bundle manifest headers do not exists: ${join(dir, 'c.jar')}`,
      'ERROR org.wso2.carbon.server.extensions.DropinsBundleDeployer: Invalid Bundle found in the dropins directory: d.jar',
    ]);
  });
});
