/** Commit: ask for a message, the server flushes live documents and commits. */
import * as vscode from 'vscode';
import { runServerCommand } from '../client';
import { commitArgs } from '../commandArgs';
import { ServerCommand } from '../protocol';
import type { Services } from '../services';
import { busy } from '../ui/progress';

export async function commit(services: Services, onCommitted: () => void): Promise<void> {
  const message = await vscode.window.showInputBox({
    title: 'DevSync: commit',
    prompt: 'Commit message',
    ignoreFocusOut: true,
    validateInput: (v) => (commitArgs(v) ? undefined : 'The message is required'),
  });
  const args = message === undefined ? undefined : commitArgs(message);
  if (!args) return;
  try {
    const result = await busy('committing', () =>
      runServerCommand<{ sha?: string; short_sha?: string; shortSha?: string } | null>(
        services.client(),
        ServerCommand.commit,
        args,
      ),
    );
    const sha = result?.shortSha ?? result?.short_sha ?? result?.sha?.slice(0, 7);
    void vscode.window.showInformationMessage(sha ? `DevSync: committed ${sha}.` : 'DevSync: committed.');
    onCommitted();
  } catch (err) {
    void vscode.window.showErrorMessage(`DevSync: commit failed: ${(err as Error).message}`);
  }
}
