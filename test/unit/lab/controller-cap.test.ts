import { describe, expect, it } from 'vitest';
import { capArgs, parseCap, uncapArgs } from '../../../src/lab/hosts/controller-cap.js';
import { parseLabState } from '../../../src/lab/hosts/state.js';

describe('lab controller cap (tc)', () => {
  it('shapes the egress of the lab bridge itself with a token bucket at the rate asked', () => {
    expect(capArgs('br-ab12', 100)).toEqual(['qdisc', 'replace', 'dev', 'br-ab12', 'root', 'tbf', 'rate', '100mbit', 'burst', '250000', 'latency', '100ms']);
  });

  it('keeps at least 64 KiB of burst at low rates (one GSO packet must fit)', () => {
    expect(capArgs('br-x', 1)).toContain(String(64 * 1024));
  });

  it('removes the root qdisc of the bridge', () => {
    expect(uncapArgs('br-ab12')).toEqual(['qdisc', 'del', 'dev', 'br-ab12', 'root']);
  });

  it('reads the cap back from `tc qdisc show` and tells no cap apart', () => {
    expect(parseCap('qdisc tbf 8001: root refcnt 2 rate 100Mbit burst 250000b lat 100ms \n')).toEqual({ mbit: 100 });
    expect(parseCap('qdisc tbf 8002: root refcnt 2 rate 1Gbit burst 64Kb lat 100ms \n')).toEqual({ mbit: 1000 });
    expect(parseCap('qdisc noqueue 0: root refcnt 2 \n')).toBeUndefined();
  });

  it('records the cap in the lab state and refuses a damaged value', () => {
    const base = { format: 1, name: 'l', stateDir: '/s', subnet: '10.213.208.0/24', bridge: 'br', bridgeAddress: '10.213.208.1', hosts: [] };
    expect(parseLabState(JSON.stringify({ ...base, controllerMbit: 100 }), 'state.json').controllerMbit).toBe(100);
    expect(() => parseLabState(JSON.stringify({ ...base, controllerMbit: 'fast' }), 'state.json')).toThrow(/controllerMbit/);
  });
});
