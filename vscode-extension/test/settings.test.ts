import { describe, expect, test } from 'vitest';
import { DEFAULTS, Key, initializationOptions, readSettings, serverCommandLine } from '../src/settings';

const from = (values: Record<string, unknown>) => readSettings((key) => values[key]);

describe('settings', () => {
  test('nothing set: the documented defaults', () => {
    expect(from({})).toEqual(DEFAULTS);
  });

  test('values of the right type are taken, URLs lose trailing slashes', () => {
    const settings = from({
      [Key.pythonPath]: ' /venv/bin/python ',
      [Key.serverArgs]: ['-m', 'lsp', '--log-level', 'DEBUG'],
      [Key.serverUrl]: 'https://devsync.example.org/',
      [Key.shareRole]: 'viewer',
      [Key.presenceLabels]: false,
      [Key.serverOptions]: { completion: { maxItems: 50 } },
    });
    expect(settings).toEqual({
      pythonPath: '/venv/bin/python',
      serverArgs: ['-m', 'lsp', '--log-level', 'DEBUG'],
      serverUrl: 'https://devsync.example.org',
      shareRole: 'viewer',
      presenceLabels: false,
      serverOptions: { completion: { maxItems: 50 } },
    });
  });

  test('wrong types fall back to the defaults', () => {
    expect(
      from({
        [Key.pythonPath]: 3,
        [Key.serverArgs]: [],
        [Key.serverUrl]: 'ftp://x',
        [Key.shareRole]: 'owner',
        [Key.presenceLabels]: 'yes',
        [Key.serverOptions]: ['a'],
      }),
    ).toEqual(DEFAULTS);
  });

  test('the interpreter: setting, then the Python extension, then python3', () => {
    expect(serverCommandLine({ ...DEFAULTS, pythonPath: '/a/python' }, '/b/python')).toEqual({
      command: '/a/python',
      args: ['-m', 'lsp'],
    });
    expect(serverCommandLine(DEFAULTS, '/b/python').command).toBe('/b/python');
    expect(serverCommandLine(DEFAULTS, undefined).command).toBe('python3');
  });

  test('initializationOptions turn presence inlay hints and server messages off unless the user chose', () => {
    expect(initializationOptions(DEFAULTS)).toEqual({ session: { presenceInlayHints: false, showMessages: false } });
    const mine = {
      ...DEFAULTS,
      serverOptions: { session: { presenceInlayHints: true, showMessages: true }, python: '/p' },
    };
    expect(initializationOptions(mine)).toEqual({
      session: { presenceInlayHints: true, showMessages: true },
      python: '/p',
    });
  });
});
