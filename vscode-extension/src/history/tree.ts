/**
 * The History view: commits of the active file (or the project) from the
 * server's `devsync.history`; opening a commit shows VS Code's diff editor of
 * the file between the commit's parent and the commit. Project commits expand
 * to their changed files.
 */
import * as vscode from 'vscode';
import { runServerCommand } from '../client';
import { type Commit, historyArgs, parseHistory, toCommit } from '../commandArgs';
import { Command } from '../commands';
import { ServerCommand } from '../protocol';
import type { Services } from '../services';
import { historyUri } from './content';

type Node =
  | { kind: 'commit'; projectId: string; path: string | null; commit: Commit }
  | { kind: 'file'; projectId: string; path: string; commit: Commit }
  | { kind: 'message'; text: string };

export class HistoryTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private uri: string | undefined;

  constructor(
    private readonly services: Services,
    private readonly changedFiles: (projectId: string, sha: string) => Promise<string[]>,
  ) {}

  /** Show the history of `uri` (a document URI) or, when undefined, of the project.
   * The same `uri` again changes nothing: a second reload would re-render the rows
   * under the user's click, and VS Code drops the commands of replaced rows
   * ("Actual command not found"). A commit already reloads (`refresh`). */
  showFor(uri: string | undefined): void {
    if (uri === this.uri) return;
    this.uri = uri;
    this.changed.fire();
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.path);
      item.resourceUri = vscode.Uri.file(`/${node.path}`);
      item.command = { title: 'Open diff', command: Command.openCommitDiff, arguments: [node] };
      return item;
    }
    const { commit } = node;
    const collapsible =
      node.path === null ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(commit.summary || commit.shortSha, collapsible);
    item.id = `${node.path ?? ''}@${commit.sha}`;
    item.description = `${commit.shortSha} · ${commit.author}`;
    item.tooltip = `${commit.sha}\n${commit.author} ${commit.date}\n\n${commit.summary}`;
    item.iconPath = new vscode.ThemeIcon('git-commit');
    item.contextValue = 'devsync.commit';
    if (node.path !== null) {
      item.command = { title: 'Open diff', command: Command.openCommitDiff, arguments: [node] };
    }
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'commit' && node.path === null) {
      const files = await this.changedFiles(node.projectId, node.commit.sha);
      return files.map((path) => ({ kind: 'file', projectId: node.projectId, path, commit: node.commit }));
    }
    if (node) return [];
    try {
      const raw = await runServerCommand<unknown>(this.services.client(), ServerCommand.history, historyArgs(this.uri));
      const history = parseHistory(raw);
      if (history.commits.length === 0) return [{ kind: 'message', text: 'No commits yet.' }];
      return history.commits.map((wire) => ({
        kind: 'commit',
        projectId: history.projectId,
        path: history.path,
        commit: toCommit(wire),
      }));
    } catch (err) {
      return [{ kind: 'message', text: (err as Error).message }];
    }
  }
}

/** Open VS Code's diff editor for one file between a commit's parent and the commit. */
export async function openCommitDiff(node: { projectId: string; path: string | null; commit: Commit }): Promise<void> {
  if (node.path === null) return;
  const { projectId, path, commit } = node;
  const left = historyUri({ projectId, path, ref: commit.parent ?? '' });
  const right = historyUri({ projectId, path, ref: commit.sha });
  await vscode.commands.executeCommand('vscode.diff', left, right, `${path} (${commit.shortSha}) ${commit.summary}`);
}
