import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { Secret } from '../../../src/model/secret.js';
import { Renderer } from '../../../src/render/engine.js';
import { REPO } from './examples.js';

function templates(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-tpl-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('Renderer', () => {
  it('escapes by format and reports whether a secret went in', () => {
    const dir = templates({ 'a.toml.eta': 'user = <%= it.user %>\npass = <%= it.pass %>\n' });
    const r = new Renderer(dir);
    const out = r.render('a.toml.eta', 'toml', { user: 'a"b', pass: new Secret('s3cr3t', 'test') });
    expect(out.content).toBe('user = "a\\"b"\npass = "s3cr3t"\n');
    expect(out.secret).toBe(true);
    expect(r.render('a.toml.eta', 'toml', { user: 'x', pass: 'plain' }).secret).toBe(false);
  });

  it('turns a missing variable into a ConfigError naming template, line and the full path', () => {
    const dir = templates({ 'b.toml.eta': '# first\n[x]\nkey = <%= it.server.hostnme %>\n' });
    const r = new Renderer(dir);
    try {
      r.render('b.toml.eta', 'toml', { server: { hostname: 'h' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const issue = (e as ConfigError).issues[0]!;
      expect(issue.file).toBe(join(dir, 'b.toml.eta'));
      expect(issue.line).toBe(3);
      expect(issue.message).toContain('undefined variable it.server.hostnme');
    }
  });

  it('reports the innermost template of an include', () => {
    const dir = templates({
      'outer.toml.eta': "a = 1\n<%~ include('/parts/inner') -%>\n",
      'parts/inner.eta': 'b = 2\nc = <%= it.nope %>\n',
    });
    try {
      new Renderer(dir).render('outer.toml.eta', 'toml', {});
      expect.unreachable();
    } catch (e) {
      const issue = (e as ConfigError).issues[0]!;
      expect(issue.file).toBe(join(dir, 'parts/inner.eta'));
      expect(issue.line).toBe(2);
    }
  });

  it('names a value that does not fit the format, without printing a secret', () => {
    const dir = templates({ 'n.conf.eta': 'listen <%= it.port %>;\nserver_name <%= it.name %>;\n' });
    expect(() => new Renderer(dir).render('n.conf.eta', 'nginx', { port: 80, name: 'a b' })).toThrow(/n\.conf\.eta:2: .*not a plain token/);
    try {
      new Renderer(dir).render('n.conf.eta', 'toml', { port: 1, name: new Secret('x${y}', 't') });
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('x${y}');
    }
  });
});

/** The only places raw output (`<%~ %>`) is allowed: includes of partials, which escape their own values. */
const ALLOWED_RAW = /^<%~ include\('\/common\/toml\/[a-z-]+'\) -%>$/;

describe('raw output', () => {
  it('appears only as partial includes in the role templates', () => {
    const root = join(REPO, 'templates');
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
    const raw: string[] = [];
    for (const file of walk(root)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/<%~[^%]*%>/g)) {
        if (!ALLOWED_RAW.test(m[0])) raw.push(`${relative(root, file)}: ${m[0]}`);
      }
      const deploymentToml = file.endsWith('deployment.toml.eta');
      if (!deploymentToml) expect(readFileSync(file, 'utf8'), relative(root, file)).not.toContain('<%~');
    }
    expect(raw).toEqual([]);
  });
});
