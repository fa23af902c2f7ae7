import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { greenInventory } from '../../../src/inventory/green-inventory.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { fileOf, loadExample } from '../render/examples.js';

const pos = { file: 'x.yaml', line: 1, col: 1 };
async function pattern2WithGreen(): Promise<Inventory> {
  const inv = await loadExample('pattern-2');
  const green = ['apim-1', 'apim-2', 'gw-1', 'gw-2'].map((blue, i) => ({ blue, name: `${blue}-green`, address: `10.30.9.${11 + i}`, pos }));
  return { ...inv, green };
}
const derive = (blue: Inventory) => greenInventory({ blue, catalog: defaultRoleCatalog(), to: '4.6.0', databases: new Map([['apim_db', 'apim_db_460'], ['shared_db', 'shared_db_460']]) });

describe('green as an inventory of its own (migrate provision-green)', () => {
  it('replaces each blue WSO2 host by its partner, keeps the database host and the balancer, names no partners itself', async () => {
    const green = derive(await pattern2WithGreen());
    expect(green.hosts.map((h) => `${h.name}@${h.address}`)).toEqual([
      'apim-1-green@10.30.9.11', 'apim-2-green@10.30.9.12', 'gw-1-green@10.30.9.13', 'gw-2-green@10.30.9.14', 'lb-1@10.30.0.10', 'db-1@10.30.0.20']);
    expect(green.roles['all-in-one']).toEqual(['apim-1-green', 'apim-2-green']);
    expect(green.roles.database).toEqual(['db-1']);
    expect(green.green).toEqual([]);
    expect(green.nodes.find((n) => n.host === 'gw-1-green')?.vars.database.apim_db).toBe('apim_db_460');
    expect(green.nodes.find((n) => n.host === 'db-1')?.vars.database.apim_db).toBe('apim_db');
  });

  it('renders green nodes on the green databases; pg_hba grants green its copies and keeps blue\'s grants; the database setup SQL is blue\'s', async () => {
    const blue = await pattern2WithGreen();
    const blueNodes = renderInventory(blue);
    const greenNodes = renderInventory(derive(blue));
    expect(fileOf(greenNodes, 'apim-1-green', 'deployment.toml')).toContain('10.30.0.20:5432/apim_db_460');
    const hba = fileOf(greenNodes, 'db-1', 'pg_hba.conf');
    expect(hba).toMatch(/^host\s+apim_db_460,shared_db_460\s+apimadmin\s+10\.30\.9\.11\/32/m);
    expect(hba).toMatch(/^host\s+apim_db,shared_db\s+apimadmin\s+10\.30\.1\.11\/32/m);
    expect(hba).not.toMatch(/apim_db_460,shared_db_460\s+apimadmin\s+10\.30\.1\./);
    expect(fileOf(greenNodes, 'db-1', 'create-databases.sql')).toBe(fileOf(blueNodes, 'db-1', 'create-databases.sql'));
  });

  it('gives blue\'s balancer a green-only listener to the gateway partners, apart from the client listeners', async () => {
    const withGreen = fileOf(renderInventory(await pattern2WithGreen()), 'lb-1', 'nginx.conf');
    const without = fileOf(renderInventory({ ...(await pattern2WithGreen()), green: [] }), 'lb-1', 'nginx.conf');
    const block = /\n    # ---- migrate: green-only path[\s\S]*?# ---- end of the green-only path\n/.exec(withGreen)?.[0] ?? '';
    expect(block).toContain('listen 18280;');
    expect([...block.matchAll(/server (\S+);/g)].map((m) => m[1])).toEqual(['10.30.9.13:8280', '10.30.9.14:8280']);
    // Each client upstream twice, blue's servers as without green and the partners', picked per request by the switch flag.
    expect(withGreen).toMatch(/upstream apim_gateway_http_green \{\n        server 10\.30\.9\.13:8280;\n        server 10\.30\.9\.14:8280;/);
    expect(withGreen).toContain('        set $apim_side blue;\n        if (-f /etc/nginx/apim-deploy-clients-on-green) {\n            set $apim_side green;\n        }\n');
    const oneSide = withGreen.replace(block, '')
      .replace(/\n\n    upstream \w+_green \{[^}]*\}/g, '')
      .replace(/\n        # Idle connections to the side left[^\n]*\n        keepalive_timeout 10s;/g, '')
      .replace(/\n        # migrate's switch:[^\n]*\n(        #[^\n]*\n)*        set \$apim_side blue;\n        if \(-f [^)]*\) \{\n            set \$apim_side green;\n        \}\n/g, '\n')
      .replaceAll('_blue {', ' {').replaceAll('_$apim_side;', ';');
    expect(oneSide).toBe(without);
  });
});
