/** Share, join, leave and follow: thin UI over the server's session commands. */
import * as vscode from 'vscode';
import { runServerCommand } from '../client';
import { followArgs, inviteLinkFrom, joinArgs, shareArgs } from '../commandArgs';
import { Command } from '../commands';
import { type Participant, ServerCommand, type SessionParams, type ShareResult } from '../protocol';
import type { Services } from '../services';
import { busy } from '../ui/progress';

function fail(what: string, err: unknown): void {
  void vscode.window.showErrorMessage(`DevSync: ${what} failed: ${(err as Error).message}`);
}

/**
 * Copy to the clipboard. In a browser-hosted VS Code the write goes through the
 * page's clipboard API, which can wait forever for focus; never hang on it.
 */
async function copy(text: string): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000));
  const write = vscode.env.clipboard.writeText(text).then(
    () => true,
    () => false,
  );
  return Promise.race([write, timeout]);
}

/** Session fields a command result may carry (servers may answer with the new state). */
function sessionFrom(result: unknown): Partial<SessionParams> {
  if (typeof result !== 'object' || result === null) return {};
  const state = (result as SessionParams).state;
  return typeof state === 'string' ? result : {};
}

export async function shareSession(services: Services): Promise<void> {
  try {
    const result = await busy('sharing', () =>
      runServerCommand<ShareResult>(
        services.client(),
        ServerCommand.shareSession,
        shareArgs(services.settings().shareRole),
      ),
    );
    const link = inviteLinkFrom(result);
    if (!link) throw new Error('the server returned no invite link');
    services.session.update({ state: 'connected', inviteLink: link, ...sessionFrom(result) });
    const copied = await copy(link);
    void vscode.window.showInformationMessage(
      copied ? `DevSync: invite link copied: ${link}` : `DevSync: invite link (copy it from here): ${link}`,
    );
  } catch (err) {
    fail('share session', err);
  }
}

export async function joinSession(services: Services, link?: string): Promise<void> {
  const input =
    link ??
    (await vscode.window.showInputBox({
      title: 'DevSync: join session',
      prompt: 'Invite link or token',
      ignoreFocusOut: true,
      validateInput: (v) => (joinArgs(v) ? undefined : 'An invite link (http…) or token'),
    }));
  const args = input ? joinArgs(input) : undefined;
  if (!args) return;
  services.session.update({ state: 'connecting' });
  try {
    const result = await busy('joining', () => runServerCommand(services.client(), ServerCommand.joinSession, args));
    services.session.update({ state: 'connected', ...sessionFrom(result) });
  } catch (err) {
    services.session.update({ state: 'idle' });
    fail('join session', err);
  }
}

export async function leaveSession(services: Services): Promise<void> {
  try {
    await runServerCommand(services.client(), ServerCommand.leaveSession, []);
  } catch (err) {
    fail('leave session', err);
  }
  services.session.update({ state: 'idle', participants: [], inviteLink: null });
}

export async function followParticipant(services: Services, participant?: Participant): Promise<void> {
  let chosen = participant;
  if (!chosen) {
    const items = services.session.participants().map((p) => ({ label: p.name, participant: p }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('DevSync: nobody else is in the session yet.');
      return;
    }
    chosen = (await vscode.window.showQuickPick(items, { title: 'DevSync: follow participant' }))?.participant;
  }
  if (!chosen) return;
  services.session.follow(chosen);
  try {
    await runServerCommand(services.client(), ServerCommand.followParticipant, followArgs(chosen));
  } catch (err) {
    // Following still works locally from presence; the server side is a bonus.
    services.output.warn(`followParticipant: ${(err as Error).message}`);
  }
}

/** Status bar click: the commands that fit the current state. */
export async function sessionMenu(services: Services): Promise<void> {
  const state = services.session.state.state;
  const entries: { label: string; command: string }[] =
    state === 'signedOut'
      ? [{ label: '$(account) Sign in', command: Command.signIn }]
      : state === 'connected' || state === 'reconnecting'
        ? [
            { label: '$(link) Copy invite link again', command: Command.shareSession },
            { label: '$(eye) Follow participant', command: Command.followParticipant },
            { label: '$(debug-disconnect) Leave session', command: Command.leaveSession },
          ]
        : [
            { label: '$(live-share) Share session', command: Command.shareSession },
            { label: '$(plug) Join session', command: Command.joinSession },
            { label: '$(sign-out) Sign out', command: Command.signOut },
          ];
  const picked = await vscode.window.showQuickPick(entries, { title: 'DevSync' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
