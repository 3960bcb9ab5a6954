/** Activation: wires the language server, session UI, presence and history together. */
import * as vscode from 'vscode';
import { Command, View } from './commands';
import { signIn, signOut, sendStoredToken, storedToken } from './handlers/auth';
import { commit } from './handlers/commit';
import { explainSelection } from './handlers/explain';
import { followParticipant, joinSession, leaveSession, sessionMenu, shareSession } from './handlers/session';
import { HistoryContentProvider, SCHEME, fetchChangedFiles } from './history/content';
import { HistoryTree, openCommitDiff } from './history/tree';
import { LanguageServer } from './languageServer';
import { PresenceRenderer } from './presence/renderer';
import type { Services } from './services';
import { SessionController } from './session/controller';
import { SECTION, readSettings } from './settings';
import { SessionStatusBar } from './ui/statusBar';

let server: LanguageServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const settings = () => readSettings((key) => vscode.workspace.getConfiguration(SECTION).get(key));
  const output = vscode.window.createOutputChannel('DevSync', { log: true });
  const statusBar = new SessionStatusBar();
  const presence = new PresenceRenderer(() => settings().presenceLabels);
  const session = new SessionController(statusBar, presence);
  server = new LanguageServer(settings, output, presence, session);
  const services: Services = { client: () => server?.client, settings, secrets: context.secrets, session, output };
  const token = () => storedToken(services);
  const history = new HistoryTree(services, async (projectId, sha) =>
    fetchChangedFiles(settings().serverUrl, await token(), projectId, sha),
  );

  const commands: Record<string, (...args: never[]) => unknown> = {
    [Command.signIn]: () => signIn(services),
    [Command.signOut]: () => signOut(services),
    [Command.shareSession]: () => shareSession(services),
    [Command.joinSession]: (link?: string) => joinSession(services, link),
    [Command.leaveSession]: () => leaveSession(services),
    [Command.followParticipant]: () => followParticipant(services),
    [Command.commit]: () => commit(services, () => history.refresh()),
    [Command.showHistory]: async () => {
      history.showFor(vscode.window.activeTextEditor?.document.uri.toString());
      await vscode.commands.executeCommand(`${View.history}.focus`);
    },
    [Command.refreshHistory]: () => history.refresh(),
    [Command.openCommitDiff]: openCommitDiff,
    [Command.explainSelection]: explainSelection,
    [Command.showSessionMenu]: () => sessionMenu(services),
    [Command.restartServer]: () => server?.restart(),
  };
  context.subscriptions.push(
    output,
    statusBar,
    presence,
    session,
    server,
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
    vscode.window.registerTreeDataProvider(View.history, history),
    vscode.workspace.registerTextDocumentContentProvider(
      SCHEME,
      new HistoryContentProvider(() => settings().serverUrl, token),
    ),
    server.onDidStart(() => sendStoredToken(services, false)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.pythonPath`) || e.affectsConfiguration(`${SECTION}.server`)) {
        void server?.restart();
      } else if (e.affectsConfiguration(`${SECTION}.presence`)) {
        presence.renderAll();
      }
    }),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
