/**
 * Every command id the extension contributes. They live under `devsync.ui.`
 * because vscode-languageclient registers each server command (`devsync.*`,
 * see protocol.ts) as a VS Code command, and a second registration of the
 * same id makes activation fail.
 */
import { ServerCommand } from './protocol';

export const Command = {
  signIn: 'devsync.ui.signIn',
  signOut: 'devsync.ui.signOut',
  shareSession: 'devsync.ui.shareSession',
  joinSession: 'devsync.ui.joinSession',
  leaveSession: 'devsync.ui.leaveSession',
  followParticipant: 'devsync.ui.followParticipant',
  commit: 'devsync.ui.commit',
  showHistory: 'devsync.ui.showHistory',
  refreshHistory: 'devsync.ui.refreshHistory',
  openCommitDiff: 'devsync.ui.openCommitDiff',
  explainSelection: 'devsync.ui.explainSelection',
  showSessionMenu: 'devsync.ui.sessionMenu',
  restartServer: 'devsync.ui.restartServer',
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

/** Views and their ids in package.json. */
export const View = {
  history: 'devsync.history.view',
} as const;

/** True when a UI command id would clash with a server command id. */
export function clashesWithServer(id: string): boolean {
  return (Object.values(ServerCommand) as string[]).includes(id);
}
