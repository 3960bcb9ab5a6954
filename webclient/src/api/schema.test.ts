// The generated API types must match what the server's OpenAPI schema says today.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('src/api/schema.ts is regenerated from the current server', () => {
  const script = fileURLToPath(new URL('../../scripts/gen-api.mjs', import.meta.url));
  const run = () => execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(run).not.toThrow();
}, 60_000);
