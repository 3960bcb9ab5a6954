/** What command handlers need, handed to them by extension.ts. */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SessionController } from './session/controller';
import type { Settings } from './settings';

export interface Services {
  client(): LanguageClient | undefined;
  settings(): Settings;
  secrets: vscode.SecretStorage;
  session: SessionController;
  output: vscode.LogOutputChannel;
}

/** SecretStorage key of the token for one server. */
export function tokenKey(serverUrl: string): string {
  return `devsync.token:${serverUrl}`;
}
