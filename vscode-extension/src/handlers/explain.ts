/**
 * Explain selection: runs the language server's "Explain" code action for the
 * selected range (the AI feature answers through the server).
 */
import * as vscode from 'vscode';

const EXPLAIN = /explain/i;

export async function explainSelection(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const range = editor.selection.isEmpty
    ? editor.document.lineAt(editor.selection.active.line).range
    : new vscode.Range(editor.selection.start, editor.selection.end);
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      range,
      undefined,
      10,
    )) ?? [];
  const action = actions.find((a) => EXPLAIN.test(a.title));
  if (!action) {
    void vscode.window.showWarningMessage('DevSync: no "Explain" action here; is AI configured on the server?');
    return;
  }
  if ('edit' in action && action.edit) await vscode.workspace.applyEdit(action.edit);
  const command: vscode.Command | undefined =
    action instanceof vscode.CodeAction || typeof action.command !== 'string'
      ? (action as vscode.CodeAction).command
      : action;
  if (command) {
    const args: unknown[] = command.arguments ?? [];
    await vscode.commands.executeCommand(command.command, ...args);
  }
}
