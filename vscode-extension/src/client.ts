/**
 * Starting `devsync lsp` (as `<python> -m lsp`) over stdio, and calling its
 * `devsync.*` commands. vscode-languageclient appends `--stdio` itself.
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { type Settings, initializationOptions, serverCommandLine } from './settings';

export const CLIENT_ID = 'devsync';

/** The Python extension's interpreter for the first workspace folder, if it is installed. */
async function pythonFromExtension(): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = (ext.isActive ? ext.exports : await ext.activate()) as {
      environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } };
    };
    return api.environments?.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri).path;
  } catch {
    return undefined;
  }
}

export async function createClient(settings: Settings, output: vscode.LogOutputChannel): Promise<LanguageClient> {
  const { command, args } = serverCommandLine(settings, await pythonFromExtension());
  output.info(`starting language server: ${command} ${args.join(' ')} --stdio`);
  const serverOptions: ServerOptions = {
    command,
    args,
    transport: TransportKind.stdio,
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    initializationOptions: initializationOptions(settings),
    outputChannel: output,
  };
  return new LanguageClient(CLIENT_ID, 'DevSync Language Server', serverOptions, clientOptions);
}

/** Raised when the running language server does not offer a command. */
export class MissingServerCommand extends Error {}

/** Run one of the server's `devsync.*` commands through `workspace/executeCommand`. */
export async function runServerCommand<T>(
  client: LanguageClient | undefined,
  command: string,
  args: unknown[],
): Promise<T> {
  if (!client?.isRunning()) {
    throw new MissingServerCommand('The DevSync language server is not running (see the "DevSync" output).');
  }
  const offered = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!offered.includes(command)) {
    throw new MissingServerCommand(`This DevSync language server does not provide ${command}; update it.`);
  }
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
}

export function serverOffers(client: LanguageClient | undefined, command: string): boolean {
  return client?.initializeResult?.capabilities.executeCommandProvider?.commands?.includes(command) ?? false;
}
