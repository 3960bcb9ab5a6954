/** The status bar item: session state and participants, click for the session menu. */
import * as vscode from 'vscode';
import { Command } from '../commands';
import type { SessionParams } from '../protocol';
import { statusView } from '../session/status';

export class SessionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('devsync.status', vscode.StatusBarAlignment.Left, 100);

  constructor() {
    this.item.name = 'DevSync Session';
    this.item.command = Command.showSessionMenu;
  }

  show(session: SessionParams): void {
    const view = statusView(session);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
