/**
 * The Java pieces of the lab, compiled with the source JDK's javac (`--release 11`, so any JDK WSO2 4.x supports
 * runs them): the simulated node's TLS helper (sim/java/SimTls.java, shipped in every pack as lib/wso2-sim-tls/) and
 * stand-in JDBC driver jars whose only job is to carry the real driver class names, which the simulated node
 * looks for in repository/components/lib (see sim/rules/databases.ts). Real drivers are not in Debian's main
 * archive for MySQL, so both are stand-ins, named as such.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cached, cacheKey } from './build-cache.js';
import type { SourceJdk } from './jdk.js';
import { fillTemplate } from './template.js';
import { writeZip } from './zip-writer.js';

const run = promisify(execFile);

interface StandIn {
  readonly className: string;
  readonly product: string;
  readonly urlPrefix: string;
}

/** Jar file name → the driver classes it carries (Connector/J 8 ships both MySQL names; the old one is an alias). */
export const DRIVER_JARS: Readonly<Record<string, readonly StandIn[]>> = {
  'jdbc-postgresql-sim.jar': [{ className: 'org.postgresql.Driver', product: 'PostgreSQL JDBC', urlPrefix: 'jdbc:postgresql:' }],
  'jdbc-mysql-sim.jar': [
    { className: 'com.mysql.cj.jdbc.Driver', product: 'MySQL Connector/J', urlPrefix: 'jdbc:mysql:' },
    { className: 'com.mysql.jdbc.Driver', product: 'MySQL Connector/J (legacy name)', urlPrefix: 'jdbc:mysql:' },
  ],
};

export interface JavaArtifacts {
  readonly simTlsClass: Buffer;
  readonly driverJars: Readonly<Record<string, Buffer>>;
}

const classPath = (className: string): string => `${className.replace(/\./g, '/')}.class`;

async function compileAll(jdk: SourceJdk, simTls: string, driverTemplate: string): Promise<Map<string, Buffer>> {
  const work = await mkdtemp(join(tmpdir(), 'lab-javac-'));
  try {
    const sources = [join(work, 'SimTls.java')];
    await writeFile(sources[0]!, simTls);
    for (const standIn of Object.values(DRIVER_JARS).flat()) {
      const pkg = standIn.className.slice(0, standIn.className.lastIndexOf('.'));
      const cls = standIn.className.slice(pkg.length + 1);
      const dir = join(work, 'src', ...pkg.split('.'));
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${cls}.java`);
      await writeFile(path, fillTemplate(driverTemplate, { PACKAGE: pkg, CLASS: cls, PRODUCT: standIn.product, URL_PREFIX: standIn.urlPrefix }));
      sources.push(path);
    }
    await run(join(jdk.home, 'bin', 'javac'), ['--release', '11', '-d', join(work, 'out'), ...sources]);
    const classes = new Map<string, Buffer>();
    for (const name of ['SimTls', ...Object.values(DRIVER_JARS).flat().map((s) => s.className)]) {
      classes.set(name, await readFile(join(work, 'out', classPath(name))));
    }
    return classes;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A driver jar as the real ones are laid out: its classes and META-INF/services/java.sql.Driver naming the driver
 * (pgjdbc and Connector/J 8 register only their main class there; JDBC 4 DriverManager loads it by that file).
 */
function jar(classes: Map<string, Buffer>, standIns: readonly StandIn[]): Buffer {
  const manifest = 'Manifest-Version: 1.0\r\nCreated-By: apim-deploy lab (stand-in JDBC driver)\r\n\r\n';
  return writeZip([
    { path: 'META-INF/MANIFEST.MF', mode: 0o644, data: Buffer.from(manifest) },
    { path: 'META-INF/services/java.sql.Driver', mode: 0o644, data: Buffer.from(`${standIns[0]!.className}\n`) },
    ...standIns.map((s) => ({ path: classPath(s.className), mode: 0o644, data: classes.get(s.className)! })),
  ]);
}

export async function javaArtifacts(jdk: SourceJdk, simTls: string, driverTemplate: string): Promise<JavaArtifacts> {
  const key = cacheKey(['java-artifacts 2', jdk.full, simTls, driverTemplate, JSON.stringify(DRIVER_JARS)]);
  let compiled: Promise<Map<string, Buffer>> | undefined;
  const classes = (): Promise<Map<string, Buffer>> => (compiled ??= compileAll(jdk, simTls, driverTemplate));
  const simTlsClass = await cached(`SimTls-${key}.class`, async () => (await classes()).get('SimTls')!);
  const driverJars: Record<string, Buffer> = {};
  for (const [name, standIns] of Object.entries(DRIVER_JARS)) {
    driverJars[name] = await cached(`${name.replace(/\.jar$/, '')}-${key}.jar`, async () => jar(await classes(), standIns));
  }
  return { simTlsClass, driverJars };
}
