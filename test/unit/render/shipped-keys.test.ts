/**
 * Start from the pack's own defaults: every key the version's shipped deployment.toml sets (test/fixtures/wso2-shipped,
 * taken from wso2/product-apim v4.5.0 / v4.6.0) is rendered, or is listed below with why we leave it out. A key
 * dropped without a reason fails this test, and so does a reason for a key we now render.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RoleName } from '../../../src/model/inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { deploymentTomls, loadExample, REPO } from './examples.js';

const VERSIONS = ['4.5.0', '4.6.0'] as const;
type Version = (typeof VERSIONS)[number];

/** The example each role is rendered from (a host of that role in it). */
const FROM: Readonly<Record<string, { example: string; host: string }>> = {
  'all-in-one': { example: 'pattern-1', host: 'apim-1' },
  'control-plane': { example: 'pattern-4', host: 'cp-1' },
  gateway: { example: 'pattern-4', host: 'gw-1' },
  'traffic-manager': { example: 'pattern-4', host: 'tm-1' },
  'key-manager': { example: 'pattern-4', host: 'km-1' },
};


/**
 * Shipped keys we do not render, per role (or `common`), and why. Empty today: every shipped key is rendered (the
 * values we change on purpose, e.g. database type h2 -> postgre/mysql with the shared databases, are in
 * docs/conformance.md). Add an entry here, with its reason, before dropping a key.
 */
const LEFT_OUT: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

/** Dotted keys of a parsed TOML document; arrays of tables as `name[].key`. */
function keysOf(obj: Record<string, unknown>, prefix = '', out = new Set<string>()): Set<string> {
  for (const [k, v] of Object.entries(obj)) {
    const key = /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null && !Array.isArray(v[0])) {
      for (const item of v) keysOf(item as Record<string, unknown>, `${path}[]`, out);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      keysOf(v as Record<string, unknown>, path, out);
    } else {
      out.add(path);
    }
  }
  return out;
}

function shipped(version: Version, role: string): string[] {
  return readFileSync(join(REPO, 'test', 'fixtures', 'wso2-shipped', version, `${role}.keys`), 'utf8')
    .split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

async function rendered(version: Version, role: string): Promise<Set<string>> {
  const { example, host } = FROM[role]!;
  const inv = await loadExample(example);
  const nodes = renderInventory({ ...inv, apim: { ...inv.apim, version } });
  const toml = deploymentTomls(nodes).get(`${host}/${role as RoleName}`);
  if (!toml) throw new Error(`${example} renders no ${role} on ${host}`);
  return keysOf(toml);
}

const leftOut = (role: string): Readonly<Record<string, string>> => ({ ...LEFT_OUT['common'], ...LEFT_OUT[role] });

describe.each(VERSIONS)('the %s packs\' shipped deployment.toml keys', (version) => {
  it.each(Object.keys(FROM))('%s: each is rendered or left out for a stated reason', async (role) => {
    const ours = await rendered(version, role);
    const missing = shipped(version, role).filter((k) => !ours.has(k));
    const reasons = leftOut(role);
    console.log(version, role, JSON.stringify(missing));
    expect(missing.filter((k) => reasons[k] === undefined), `${role} ${version}: shipped keys we drop without a reason`).toEqual([]);
    // A reason for a key we do render, or one this version does not ship, is stale.
    const stale = Object.keys(reasons).filter((k) => ours.has(k));
    expect(stale, `${role} ${version}: listed as left out but rendered`).toEqual([]);
  });
});
