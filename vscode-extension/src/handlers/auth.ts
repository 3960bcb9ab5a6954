/** Sign in / out: the token lives in SecretStorage and is handed to the language server. */
import * as vscode from 'vscode';
import { runServerCommand, serverOffers } from '../client';
import { signInArgs } from '../commandArgs';
import { ServerCommand } from '../protocol';
import { type Services, tokenKey } from '../services';
import { Key, SECTION } from '../settings';

export async function signIn(services: Services): Promise<void> {
  const current = services.settings().serverUrl;
  const serverUrl = await vscode.window.showInputBox({
    title: 'DevSync: server URL',
    value: current,
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'An http(s) URL'),
  });
  if (!serverUrl) return;
  const token = await vscode.window.showInputBox({
    title: 'DevSync: access token',
    prompt: 'A DevSync access token (POST /api/me/tokens on the server).',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The token is required'),
  });
  if (!token) return;
  const [url, cleanToken] = signInArgs(serverUrl, token);
  if (url !== current) {
    await vscode.workspace.getConfiguration(SECTION).update(Key.serverUrl, url, vscode.ConfigurationTarget.Global);
  }
  await services.secrets.store(tokenKey(url), cleanToken);
  await sendStoredToken(services, true);
}

/** Give the stored token to the language server (after sign-in, and when the server starts). */
export async function sendStoredToken(services: Services, tell: boolean): Promise<void> {
  const url = services.settings().serverUrl;
  const token = await services.secrets.get(tokenKey(url));
  if (!token) return;
  if (!serverOffers(services.client(), ServerCommand.signIn)) {
    if (tell) void vscode.window.showInformationMessage(`DevSync: token saved for ${url}.`);
    markSignedIn(services);
    return;
  }
  try {
    await runServerCommand(services.client(), ServerCommand.signIn, signInArgs(url, token));
    markSignedIn(services);
    if (tell) void vscode.window.showInformationMessage(`DevSync: signed in to ${url}.`);
  } catch (err) {
    void vscode.window.showErrorMessage(`DevSync: sign-in failed: ${(err as Error).message}`);
  }
}

/** Signing in again while in a session keeps the session. */
function markSignedIn(services: Services): void {
  if (services.session.state.state === 'signedOut') services.session.update({ state: 'idle' });
}

export async function signOut(services: Services): Promise<void> {
  await services.secrets.delete(tokenKey(services.settings().serverUrl));
  services.session.update({ state: 'signedOut', participants: [] });
  void vscode.window.showInformationMessage('DevSync: signed out.');
}

/** The stored token for the configured server, for HTTP calls the extension makes itself. */
export async function storedToken(services: Services): Promise<string | undefined> {
  return services.secrets.get(tokenKey(services.settings().serverUrl));
}
