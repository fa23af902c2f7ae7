import { describe, expect, it } from 'vitest';
import { deploymentUrls } from '../../../src/workflows/status/urls.js';
import { loadExample } from '../render/examples.js';

const urlsOf = async (name: string) => deploymentUrls(await loadExample(name)).map((u) => u.url);

describe('deploymentUrls', () => {
  it('goes through the load balancer: portals on 443, the sample API on 8243 and 8280', async () => {
    expect(await urlsOf('lab')).toEqual([
      'https://10.213.7.17/publisher',
      'https://10.213.7.17/devportal',
      'https://10.213.7.17/services/Version',
      'https://10.213.7.17:8243/echo',
      'http://10.213.7.17:8280/echo',
    ]);
  });

  it('without a load balancer, points at the node on its own ports', async () => {
    expect(await urlsOf('pattern-0')).toEqual([
      'https://192.168.56.10:9443/publisher',
      'https://192.168.56.10:9443/devportal',
      'https://192.168.56.10:9443/services/Version',
      'https://192.168.56.10:8243/echo',
      'http://192.168.56.10:8280/echo',
    ]);
  });

  it('uses public host names when the inventory sets them', async () => {
    const urls = await urlsOf('pattern-3');
    expect(urls).toContain('https://api-portal.eu.example.com/publisher');
    expect(urls).toContain('https://api.eu.example.com:8243/echo');
  });

  it('lists each datacenter once; a passive datacenter without control planes only has gateway URLs', async () => {
    const urls = deploymentUrls(await loadExample('multi-dc-active-passive'));
    const byDc = (dc: string) => urls.filter((u) => u.datacenter === dc).map((u) => u.label);
    expect(byDc('eu')).toHaveLength(5);
    expect(byDc('ap')).toEqual(['Gateway sample API (HTTPS)', 'Gateway sample API (HTTP)']);
    expect(new Set(urls.map((u) => u.url)).size).toBe(urls.length);
  });
});
