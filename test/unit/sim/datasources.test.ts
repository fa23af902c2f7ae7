import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../../src/lab/dist/zip-writer.js';
import type { Component } from '../../../sim/component/args.js';
import { runConfigMapper } from '../../../sim/component/config-mapper.js';
import { checkDatasources } from '../../../sim/component/datasources.js';
import { zipEntryNames } from '../../../sim/component/jar-classes.js';
import type { TomlTable } from '../../../sim/component/placeholders.js';
import { readXmlText } from '../../../sim/component/xml-values.js';

const HEAD = '[server]\nhostname = "cp.lab"\n[super_admin]\nusername = "admin"\npassword = "pw"\n';
const db = (id: string, body: string): string => `[database.${id}]\n${body}\n`;
const PG = (name: string, extra = ''): string =>
  `type = "postgre"\nurl = "jdbc:postgresql://db.lab:5432/${name}"\nusername = "u"\npassword = "p"\n${extra}`;

describe('datasources (sim/rules/databases.ts)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'sim-ds-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const check = (toml: string, component: Component = 'control-plane', carbonHome = home) => {
    const mapped = runConfigMapper({ doc: parse(toml) as TomlTable, version: '4.6', component, env: {}, systemProperties: {} });
    if (!mapped.ok) throw new Error(mapped.exception);
    return checkDatasources(mapped.flat, '4.6', component, carbonHome);
  };
  const withJar = (name: string, classes: string[]): string => {
    const dir = mkdtempSync(join(home, 'node-'));
    mkdirSync(join(dir, 'repository', 'components', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'repository', 'components', 'lib', name),
      writeZip(classes.map((c) => ({ path: `${c.replace(/\./g, '/')}.class`, mode: 0o644, data: Buffer.from('class') }))));
    return dir;
  };

  it('leaves embedded H2 alone', () => {
    const r = check(HEAD + db('apim_db', 'type = "h2"\nurl = "jdbc:h2:./repository/database/WSO2AM_DB"') + db('shared_db', 'type = "h2"\nurl = "jdbc:h2:./x"\nusername = "a"'));
    expect(r).toEqual({ targets: [], blockers: [], problems: [] });
  });

  it('refuses PostgreSQL without org.postgresql.Driver in repository/components/lib: ClassNotFoundException, the node stays unready', () => {
    const r = check(HEAD + db('apim_db', PG('apim_db')) + db('shared_db', PG('shared_db')));
    expect(r.targets).toEqual([]);
    expect(r.blockers).toHaveLength(2);
    expect(r.blockers[0]!.logger).toBe('org.apache.tomcat.jdbc.pool.ConnectionPool');
    expect(r.blockers[0]!.message).toMatch(/^Unable to create initial connections of pool\.\njava\.sql\.SQLException: org\.postgresql\.Driver\n/);
    expect(r.blockers[0]!.message).toContain('Caused by: java.lang.ClassNotFoundException: org.postgresql.Driver');
  });

  it('opens PostgreSQL once a jar in lib carries org.postgresql.Driver', () => {
    const node = withJar('jdbc-postgresql-sim.jar', ['org.postgresql.Driver']);
    const r = check(HEAD + db('apim_db', PG('apim_db')) + db('shared_db', PG('shared_db')), 'control-plane', node);
    expect(r.blockers).toEqual([]);
    expect(r.targets.map((t) => `${t.id} ${t.host}:${t.port}/${t.database}`)).toEqual(['apim_db db.lab:5432/apim_db', 'shared_db db.lab:5432/shared_db']);
  });

  it('looks for the class type mysql infers (com.mysql.jdbc.Driver) unless driver names another', () => {
    const node = withJar('mysql.jar', ['com.mysql.cj.jdbc.Driver']);
    const mysql = (extra: string): string => `type = "mysql"\nurl = "jdbc:mysql://db:3306/apim_db"\nusername = "u"\npassword = "p"\n${extra}`;
    const inferred = check(HEAD + db('apim_db', mysql('')) + db('shared_db', 'type = "h2"\nurl = "jdbc:h2:./x"\nusername = "a"'), 'control-plane', node);
    expect(inferred.blockers.map((b) => b.message)).toEqual([expect.stringContaining('ClassNotFoundException: com.mysql.jdbc.Driver')]);
    const explicit = check(HEAD + db('apim_db', mysql('driver = "com.mysql.cj.jdbc.Driver"')) + db('shared_db', 'type = "h2"\nurl = "jdbc:h2:./x"\nusername = "a"'), 'control-plane', node);
    expect(explicit.blockers).toEqual([]);
  });

  it('an unknown type without driver: apim_db falls back to org.h2.Driver from default.json, shared_db has no driver at all', () => {
    const r = check(HEAD + db('apim_db', 'type = "postgresql"\nurl = "jdbc:postgresql://db:5432/apim_db"\nusername = "u"\npassword = "p"')
      + db('shared_db', 'type = "postgresql"\nurl = "jdbc:postgresql://db:5432/shared_db"\nusername = "u"\npassword = "p"'));
    expect(r.blockers.map((b) => b.message.split('\n')[1])).toEqual([
      expect.stringMatching(/^java\.sql\.SQLException: Driver:org\.h2\.Driver@[0-9a-f]+ returned null for URL:jdbc:postgresql:\/\/db:5432\/apim_db$/),
      'java.sql.SQLException: No suitable driver found for jdbc:postgresql://db:5432/shared_db',
    ]);
  });

  it('a bare & in a value written to master-datasources.xml breaks every datasource, on every component', () => {
    const url = 'type = "mysql"\nurl = "jdbc:mysql://db:3306/apim_db?useSSL=false&allowPublicKeyRetrieval=true"\nusername = "u"\npassword = "p"';
    for (const component of ['control-plane', 'gateway', 'traffic-manager'] as const) {
      const r = check(HEAD + db('apim_db', url) + db('shared_db', 'type = "h2"\nurl = "jdbc:h2:./x"\nusername = "a"'), component);
      expect(r.blockers).toHaveLength(1);
      expect(r.blockers[0]!.logger).toBe('org.wso2.carbon.ndatasource.core.internal.DataSourceServiceComponent');
      expect(r.blockers[0]!.message).toMatch(/^Error in intializing system data sources: .*master-datasources\.xml' - Unexpected character '=' \(code 61\); expected a semi-colon after the reference for entity 'allowPublicKeyRetrieval'$/);
    }
  });

  it('&amp; in deployment.toml reaches the driver as &; a < in a password breaks the file too', () => {
    const node = withJar('mysql.jar', ['com.mysql.cj.jdbc.Driver']);
    const body = 'type = "mysql"\nurl = "jdbc:mysql://db:3306/apim_db?useSSL=false&amp;allowPublicKeyRetrieval=true"\nusername = "u"\npassword = "p"\ndriver = "com.mysql.cj.jdbc.Driver"';
    const ok = check(HEAD + db('apim_db', body) + db('shared_db', 'type = "h2"\nurl = "jdbc:h2:./x"\nusername = "a"'), 'control-plane', node);
    expect(ok.targets[0]!.display).toBe('jdbc:mysql://db:3306/apim_db?useSSL=false&allowPublicKeyRetrieval=true');
    const lt = check(HEAD + db('apim_db', body.replace('password = "p"', 'password = "a<b"')) + db('shared_db', 'type = "h2"\nurl = "jdbc:h2:./x"\nusername = "a"'), 'control-plane', node);
    expect(lt.blockers[0]!.message).toContain("Unexpected character '<'");
  });

  it('does not check drivers on gateways and traffic managers (the sources disagree on whether they open shared_db)', () => {
    expect(check(HEAD + db('shared_db', PG('shared_db')), 'gateway').blockers).toEqual([]);
  });
});

describe('XML text and jar listings', () => {
  it('decodes the five named entities and character references, refuses bare & and <', () => {
    expect(readXmlText('a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42;')).toEqual({ ok: true, value: 'a&b<>"\'AB' });
    expect(readXmlText('x&y')).toMatchObject({ ok: false });
    expect(readXmlText('x&y;')).toEqual({ ok: false, problem: 'Undeclared general entity "y"' });
    expect(readXmlText('tail&')).toMatchObject({ ok: false });
  });

  it('lists the entries of a zip, and nothing for a file that is not one', () => {
    const zip = writeZip([{ path: 'org/postgresql/Driver.class', mode: 0o644, data: Buffer.from('x') }]);
    expect(zipEntryNames(zip)).toEqual(['org/', 'org/postgresql/', 'org/postgresql/Driver.class']);
    expect(zipEntryNames(Buffer.from('not a zip at all, just text'))).toEqual([]);
  });
});
