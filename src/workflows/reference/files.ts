import { catalogFacts } from './catalog-facts.js';
import { inventoryReferenceMarkdown } from './inventory-doc.js';
import { inventoryJsonSchema } from './json-schema.js';

/** The generated reference files, relative to the package root. */
export const REFERENCE_FILES = { schema: 'schema/inventory.schema.json', doc: 'docs/inventory.md' } as const;

/** Their content, as `npm run gen:docs` writes it and the drift test compares it. */
export function referenceFiles(): Record<keyof typeof REFERENCE_FILES, string> {
  const facts = catalogFacts();
  const schema = inventoryJsonSchema(facts);
  return { schema: `${JSON.stringify(schema, null, 2)}\n`, doc: inventoryReferenceMarkdown(facts, schema) };
}
