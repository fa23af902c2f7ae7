import { describe, expect, it } from 'vitest';
import { validateDependencies } from '../../../src/executor/validate.js';
import type { HostSpec } from '../../../src/model/inventory.js';
import { PLAN_FORMAT, type Plan, type Step, type StepOf, type Wave } from '../../../src/model/plan.js';
import { holderKey, PEER_COPY_FANOUT, PEER_COPY_MIN_BYTES, withPeerCopies } from '../../../src/planner/peer-copy.js';

const MB = 1024 * 1024;
const host = (name: string, address: string, extra: Partial<HostSpec> = {}): HostSpec =>
  ({ name, address, connection: 'ssh', roles: [], ...extra }) as HostSpec;

function upload(h: string, file: string, sha: string, size = 300 * MB, extra: Partial<StepOf<'upload-artifact'>> = {}): StepOf<'upload-artifact'> {
  return {
    id: `${h}/upload-artifact/${file}`, host: h, kind: 'upload-artifact', reason: 'not on host', certainty: 'certain', after: [`${h}/ensure-dir/dist`],
    localPath: `/dist/${file}`, path: `/opt/wso2/dist/${file}`, sha256: sha.repeat(64), size, mode: '0644', ...extra,
  };
}
const extract = (h: string, file: string): Step => ({
  id: `${h}/extract-archive/${file}`, host: h, kind: 'extract-archive', reason: 'new', certainty: 'certain', after: [`${h}/upload-artifact/${file}`],
  archive: `/opt/wso2/dist/${file}`, dest: `/opt/wso2/x/${file}`, format: 'zip',
});
const dir = (h: string): Step => ({ id: `${h}/ensure-dir/dist`, host: h, kind: 'ensure-dir', reason: 'missing', certainty: 'certain', after: [], paths: ['/opt/wso2/dist'], mode: '0755', owner: 'root:root' });
const plan = (waves: Wave[]): Plan => ({ format: PLAN_FORMAT, inventory: '/i.yaml', apimVersion: '4.6.0', createdAt: 'now', factsFingerprint: {}, waves, unchanged: [] });
const kinds = (w: Wave, h: string) => w.steps.filter((s) => s.host === h).map((s) => s.kind);

describe('peer copy in the plan', () => {
  const names = ['cp-1', 'tm-1', 'gw-1', 'gw-2'];
  const hosts = new Map(names.map((n, i) => [n, host(n, `10.0.0.${11 + i}`)]));
  const stage: Wave = {
    label: 'stage',
    steps: names.flatMap((h) => [dir(h), upload(h, 'jdk.tar.gz', 'a'), ...(h.startsWith('gw') ? [upload(h, 'gw.zip', 'b')] : []), extract(h, 'jdk.tar.gz')]),
  };

  it('uploads each artifact to the first host that needs it; the others copy it from there, and their chain follows the copy', () => {
    const [w] = withPeerCopies([stage], hosts);
    expect(kinds(w!, 'cp-1')).toEqual(['ensure-dir', 'upload-artifact', 'extract-archive']);
    expect(kinds(w!, 'gw-1')).toEqual(['ensure-dir', 'peer-fetch', 'upload-artifact', 'extract-archive']);
    expect(kinds(w!, 'gw-2')).toEqual(['ensure-dir', 'peer-fetch', 'peer-fetch', 'extract-archive']);
    const fetch = w!.steps.find((s) => s.id === 'gw-2/peer-fetch//opt/wso2/dist/gw.zip') as StepOf<'peer-fetch'>;
    expect(fetch).toMatchObject({
      awaits: ['gw-1/upload-artifact/gw.zip'], after: ['gw-2/ensure-dir/dist'],
      from: { host: 'gw-1', address: '10.0.0.13', port: 22, receiverAddress: '10.0.0.14' },
      localPath: '/dist/gw.zip', sha256: 'b'.repeat(64), size: 300 * MB, mode: '0644',
    });
    // A step that waited for the replaced upload now waits for the copy.
    expect(w!.steps.find((s) => s.id === 'gw-2/extract-archive/jdk.tar.gz')!.after).toEqual(['gw-2/peer-fetch//opt/wso2/dist/jdk.tar.gz']);
    expect(() => validateDependencies(plan([w!]))).not.toThrow();
  });

  it('a copy from a peer stays in the transfer lane of the upload it replaces, beside the host\'s other steps', () => {
    const laned: Wave = { ...stage, steps: stage.steps.map((s) => (s.kind === 'upload-artifact' ? { ...s, lane: 'transfer' as const } : s)) };
    const [w] = withPeerCopies([laned], hosts);
    const copies = w!.steps.filter((s) => s.kind === 'peer-fetch' || s.kind === 'upload-artifact');
    expect(copies.filter((s) => s.kind === 'peer-fetch')).toHaveLength(4);
    expect(copies.every((s) => s.lane === 'transfer')).toBe(true);
    expect(w!.steps.filter((s) => s.kind === 'extract-archive' || s.kind === 'ensure-dir').every((s) => s.lane === undefined)).toBe(true);
  });

  it('sends one copy across the controller link per artifact and datacenter, never from one datacenter to another', () => {
    const two = new Map([...hosts].map(([n, h]) => [n, { ...h, datacenter: n === 'gw-2' ? 'dc-2' : 'dc-1' }]));
    const [w] = withPeerCopies([stage], two);
    const uploads = w!.steps.filter((s) => s.kind === 'upload-artifact').map((s) => s.id);
    expect(uploads).toEqual(['cp-1/upload-artifact/jdk.tar.gz', 'gw-1/upload-artifact/gw.zip', 'gw-2/upload-artifact/jdk.tar.gz', 'gw-2/upload-artifact/gw.zip']);
    expect(w!.steps.filter((s) => s.kind === 'peer-fetch').map((s) => (s as StepOf<'peer-fetch'>).from.host)).toEqual(['cp-1', 'cp-1']);
  });

  it('a host of the run that holds the artifact already is the seed: nothing crosses the controller link, even for one receiver', () => {
    const gw = (sha: string) => holderKey(undefined, sha.repeat(64), '/opt/wso2/dist/gw.zip');
    // gw-0 (not in this wave: converged) holds gw.zip; gw-1 and gw-2 need it.
    const withHolder = new Map([...hosts, ['gw-0', host('gw-0', '10.0.0.10')]]);
    const [w] = withPeerCopies([stage], withHolder, new Map([[gw('b'), ['gw-0']]]));
    expect(w!.steps.filter((s) => s.kind === 'upload-artifact' && s.path.endsWith('gw.zip'))).toEqual([]);
    const fetches = w!.steps.filter((s): s is StepOf<'peer-fetch'> => s.kind === 'peer-fetch' && s.path.endsWith('gw.zip'));
    expect(fetches.map((f) => [f.host, f.from.host, f.awaits])).toEqual([['gw-1', 'gw-0', undefined], ['gw-2', 'gw-0', undefined]]);
    expect(() => validateDependencies(plan([w!]))).not.toThrow();
    // One receiver alone copies from the holder too; a holder of other bytes, of another datacenter or not over SSH is no seed.
    const one: Wave = { label: 'stage', steps: [dir('gw-1'), upload('gw-1', 'gw.zip', 'b')] };
    expect(withPeerCopies([one], withHolder, new Map([[gw('b'), ['gw-0']]]))[0]!.steps.map((s) => s.kind)).toEqual(['ensure-dir', 'peer-fetch']);
    expect(withPeerCopies([one], withHolder, new Map([[gw('c'), ['gw-0']]]))[0]!.steps.map((s) => s.kind)).toEqual(['ensure-dir', 'upload-artifact']);
    const elsewhere = new Map([...withHolder, ['gw-0', host('gw-0', '10.0.0.10', { datacenter: 'dc-2' })]]);
    expect(withPeerCopies([one], elsewhere, new Map([[holderKey('dc-2', 'b'.repeat(64), '/opt/wso2/dist/gw.zip'), ['gw-0']]]))[0]!.steps.map((s) => s.kind)).toEqual(['ensure-dir', 'upload-artifact']);
    const local = new Map([...withHolder, ['gw-0', host('gw-0', '10.0.0.10', { connection: 'local' } as Partial<HostSpec>)]]);
    expect(withPeerCopies([one], local, new Map([[gw('b'), ['gw-0']]]))[0]!.steps.map((s) => s.kind)).toEqual(['ensure-dir', 'upload-artifact']);
  });

  it(`holders share the receivers, ${PEER_COPY_FANOUT} each before a receiver serves others`, () => {
    const many = Array.from({ length: 10 }, (_, i) => `gw-${i + 1}`);
    const inv = new Map([...many, 'h-1', 'h-2'].map((n, i) => [n, host(n, `10.0.1.${11 + i}`)]));
    const [w] = withPeerCopies([{ label: 'stage', steps: many.flatMap((h) => [dir(h), upload(h, 'gw.zip', 'b')]) }], inv,
      new Map([[holderKey(undefined, 'b'.repeat(64), '/opt/wso2/dist/gw.zip'), ['h-1', 'h-2']]]));
    const from = w!.steps.filter((s): s is StepOf<'peer-fetch'> => s.kind === 'peer-fetch').map((f) => f.from.host);
    expect(from).toEqual(['h-1', 'h-1', 'h-1', 'h-1', 'h-2', 'h-2', 'h-2', 'h-2', 'gw-1', 'gw-1']);
    expect(() => validateDependencies(plan([w!]))).not.toThrow();
  });

  it(`builds a tree: no host serves more than ${PEER_COPY_FANOUT} copies`, () => {
    const many = Array.from({ length: 14 }, (_, i) => `gw-${i + 1}`);
    const inv = new Map(many.map((n, i) => [n, host(n, `10.0.0.${11 + i}`)]));
    const [w] = withPeerCopies([{ label: 'stage', steps: many.flatMap((h) => [dir(h), upload(h, 'gw.zip', 'b')]) }], inv);
    const fetches = w!.steps.filter((s): s is StepOf<'peer-fetch'> => s.kind === 'peer-fetch');
    expect(fetches).toHaveLength(13);
    const served = new Map<string, number>();
    for (const f of fetches) served.set(f.from.host, (served.get(f.from.host) ?? 0) + 1);
    expect(Math.max(...served.values())).toBe(PEER_COPY_FANOUT);
    expect(served.get('gw-1')).toBe(PEER_COPY_FANOUT);
    // Every source is a host earlier in the wave, whose own step (upload or copy) is the one awaited.
    for (const f of fetches) {
      expect(many.indexOf(f.from.host)).toBeLessThan(many.indexOf(f.host));
      expect(f.awaits![0]!.startsWith(`${f.from.host}/`)).toBe(true);
    }
    expect(() => validateDependencies(plan([w!]))).not.toThrow();
  });

  it('leaves alone small files, a release lib owned by the service user, local hosts and lone uploads', () => {
    const inv = new Map([...hosts, ['tm-1', host('tm-1', '10.0.0.12', { connection: 'local' })]]);
    const steps = [
      ...['cp-1', 'gw-1'].map((h) => upload(h, 'driver.jar', 'c', PEER_COPY_MIN_BYTES - 1)),
      ...['cp-1', 'gw-1'].map((h) => upload(h, 'lib.jar', 'd', 50 * MB, { owner: 'wso2carbon:wso2' })),
      ...['cp-1', 'tm-1'].map((h) => upload(h, 'tm.zip', 'e')),
      upload('gw-2', 'only.zip', 'f'),
    ];
    const [w] = withPeerCopies([{ label: 'stage', steps }], inv);
    expect(w!.steps.every((s) => s.kind === 'upload-artifact')).toBe(true);
  });

  it('leaves out the receiver address when the inventory gives a name, not an IP', () => {
    const named = new Map([...hosts].map(([n, h]) => [n, { ...h, address: `${n}.example.com`, port: 2222 }]));
    const [w] = withPeerCopies([stage], named);
    const fetch = w!.steps.find((s) => s.kind === 'peer-fetch') as StepOf<'peer-fetch'>;
    expect(fetch.from).toEqual({ host: 'cp-1', address: 'cp-1.example.com', port: 2222 });
  });

  it('the executor check refuses a step awaiting a host that comes later in the wave (a possible wait cycle)', () => {
    const [w] = withPeerCopies([stage], hosts);
    const reversed = { ...w!, steps: [...w!.steps.filter((s) => s.host !== 'cp-1'), ...w!.steps.filter((s) => s.host === 'cp-1')] };
    expect(() => validateDependencies(plan([reversed]))).toThrow(/awaits cp-1\/upload-artifact\/jdk.tar.gz on a host that does not come before its own/);
  });
});
