import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Command, View, clashesWithServer } from '../src/commands';
import { Notification, ServerCommand } from '../src/protocol';
import { DEFAULTS, Key, SECTION } from '../src/settings';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { default: unknown }> };
  };
};

describe('package.json and commands.ts agree', () => {
  test('every UI command is contributed, and nothing else', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    expect(contributed).toEqual(Object.values(Command).sort());
  });

  test('no UI command reuses a server command id (activation would fail)', () => {
    for (const id of Object.values(Command)) {
      expect(clashesWithServer(id), id).toBe(false);
      expect(id.startsWith('devsync.ui.')).toBe(true);
    }
  });

  test('the history view is declared', () => {
    expect(
      Object.values(manifest.contributes.views)
        .flat()
        .map((v) => v.id),
    ).toContain(View.history);
  });

  test('every setting is declared under devsync. with the default settings.ts uses', () => {
    const props = manifest.contributes.configuration.properties;
    for (const [field, key] of Object.entries(Key)) {
      expect(props[`${SECTION}.${key}`]?.default, key).toEqual(DEFAULTS[field as keyof typeof DEFAULTS]);
    }
  });
});

describe('protocol.ts mirrors lsp/protocol.py', () => {
  const python = (() => {
    try {
      return readFileSync(join(root, '..', 'lsp', 'protocol.py'), 'utf8');
    } catch {
      return undefined;
    }
  })();
  const constants = (prefix: string) =>
    new Set([...(python ?? '').matchAll(new RegExp(`^${prefix}_\\w+: Final = "([^"]+)"`, 'gm'))].map((m) => m[1]));

  test.skipIf(python === undefined)('every server command the extension calls exists there', () => {
    const served = constants('CMD');
    for (const id of Object.values(ServerCommand).filter((c) => c !== ServerCommand.aiStats)) {
      expect(served, id).toContain(id);
    }
  });

  test.skipIf(python === undefined)('every notification the extension handles exists there', () => {
    const sent = constants('NOTIFY');
    for (const method of Object.values(Notification)) expect(sent, method).toContain(method);
  });
});
