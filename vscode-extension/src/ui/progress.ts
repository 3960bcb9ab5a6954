/** A spinner in the status bar while a server command runs (commits and joins can take seconds). */
import * as vscode from 'vscode';

export function busy<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `DevSync: ${title}` }, task);
}
