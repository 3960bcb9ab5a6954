// Regenerates src/api/schema.ts from the server's OpenAPI schema; `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { generateSchema, schemaFile } from './openapi.mjs';

const fresh = await generateSchema();
if (process.argv.includes('--check')) {
  if (readFileSync(schemaFile, 'utf8') !== fresh) {
    console.error('src/api/schema.ts is stale: run `npm run gen:api` in webclient/');
    process.exit(1);
  }
  console.log('src/api/schema.ts is up to date');
} else {
  writeFileSync(schemaFile, fresh);
  console.log(`wrote ${schemaFile}`);
}
