/**
 * The `devsync.*` settings as one typed, fully defaulted object. Reading is a
 * pure function of a getter so it is unit tested without VS Code.
 */

export const SECTION = 'devsync';

export interface Settings {
  /** Interpreter that runs `-m lsp`; empty: the Python extension's, then `python3`. */
  pythonPath: string;
  /** Arguments after the interpreter; the language client appends `--stdio`. */
  serverArgs: string[];
  /** DevSync server base URL, used for sign-in and history contents. */
  serverUrl: string;
  /** Role offered by Share session. */
  shareRole: 'editor' | 'viewer';
  /** Draw participants' names next to their cursors. */
  presenceLabels: boolean;
  /** Passed to the language server as initializationOptions. */
  serverOptions: Record<string, unknown>;
}

export const DEFAULTS: Settings = {
  pythonPath: '',
  serverArgs: ['-m', 'lsp'],
  serverUrl: 'http://127.0.0.1:8000',
  shareRole: 'editor',
  presenceLabels: true,
  serverOptions: {},
};

/** `devsync.<key>` names, as declared in package.json `contributes.configuration`. */
export const Key = {
  pythonPath: 'pythonPath',
  serverArgs: 'server.args',
  serverUrl: 'serverUrl',
  shareRole: 'share.role',
  presenceLabels: 'presence.showLabels',
  serverOptions: 'server.initializationOptions',
} as const satisfies Record<keyof Settings, string>;

type Getter = (key: string) => unknown;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Build `Settings` from a getter (`config.get`); wrong types fall back to defaults. */
export function readSettings(get: Getter): Settings {
  const pythonPath = get(Key.pythonPath);
  const serverArgs = get(Key.serverArgs);
  const serverUrl = get(Key.serverUrl);
  const shareRole = get(Key.shareRole);
  const presenceLabels = get(Key.presenceLabels);
  const serverOptions = get(Key.serverOptions);
  return {
    pythonPath: typeof pythonPath === 'string' ? pythonPath.trim() : DEFAULTS.pythonPath,
    serverArgs: isStringArray(serverArgs) && serverArgs.length > 0 ? serverArgs : DEFAULTS.serverArgs,
    serverUrl:
      typeof serverUrl === 'string' && /^https?:\/\//.test(serverUrl.trim())
        ? serverUrl.trim().replace(/\/+$/, '')
        : DEFAULTS.serverUrl,
    shareRole: shareRole === 'viewer' || shareRole === 'editor' ? shareRole : DEFAULTS.shareRole,
    presenceLabels: typeof presenceLabels === 'boolean' ? presenceLabels : DEFAULTS.presenceLabels,
    serverOptions: isPlainObject(serverOptions) ? serverOptions : DEFAULTS.serverOptions,
  };
}

/** The language server's command line: interpreter first, then its arguments. */
export function serverCommandLine(
  settings: Settings,
  pythonFromExtension: string | undefined,
): { command: string; args: string[] } {
  const command = settings.pythonPath || pythonFromExtension || 'python3';
  return { command, args: [...settings.serverArgs] };
}

/**
 * initializationOptions for the server: the user's options, with remote
 * cursors as inlay hints turned off (the extension draws them as decorations)
 * and the server's window/showMessage for command results turned off (the
 * extension shows its own notifications, so each would appear twice), unless
 * the user set those options explicitly.
 */
export function initializationOptions(settings: Settings): Record<string, unknown> {
  const options = settings.serverOptions;
  const session = options.session;
  const sessionOptions = typeof session === 'object' && session !== null && !Array.isArray(session) ? session : {};
  return { ...options, session: { presenceInlayHints: false, showMessages: false, ...sessionOptions } };
}
