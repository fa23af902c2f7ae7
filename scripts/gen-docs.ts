/**
 * `npm run gen:docs`: writes schema/inventory.schema.json and docs/inventory.md from the inventory schema, the
 * variables table, patterns/ and roles/. test/unit/cli/reference-docs.test.ts fails when either file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_FILES, referenceFiles } from '../src/workflows/reference/files.js';

const root = join(import.meta.dirname, '..');
const files = referenceFiles();
for (const name of Object.keys(REFERENCE_FILES) as (keyof typeof REFERENCE_FILES)[]) {
  writeFileSync(join(root, REFERENCE_FILES[name]), files[name]);
  process.stdout.write(`wrote ${REFERENCE_FILES[name]}\n`);
}
