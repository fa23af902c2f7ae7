import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { javaArtifacts } from '../../../src/lab/dist/java-artifacts.js';
import { sourceJdk } from '../../../src/lab/dist/jdk.js';
import { readSimSources } from '../../../src/lab/dist/sim-sources.js';
import type { JavaRuntime } from '../../../sim/component/jsse.js';

/** The packs' JSSE helper (sim/java/SimTls.java) compiled into `<dir>/cls` with the machine's JDK, as a pack ships it. */
export async function simJava(dir: string): Promise<{ java: JavaRuntime; keytool: string }> {
  const jdk = await sourceJdk();
  const sources = await readSimSources();
  const { simTlsClass } = await javaArtifacts(jdk, sources.simTlsJava, sources.driverTemplate);
  mkdirSync(join(dir, 'cls'));
  writeFileSync(join(dir, 'cls', 'SimTls.class'), simTlsClass);
  return { java: { javaHome: jdk.home, classDir: join(dir, 'cls') }, keytool: join(jdk.home, 'bin', 'keytool') };
}
