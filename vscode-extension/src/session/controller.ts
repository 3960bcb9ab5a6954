/**
 * The session as the extension knows it: the latest `devsync/session` state,
 * the status bar, and following a participant (their editor and caret are
 * revealed on every presence update from them).
 */
import * as vscode from 'vscode';
import type { Participant, SessionParams } from '../protocol';
import { participantKey } from '../presence/model';
import type { PresenceRenderer } from '../presence/renderer';
import type { SessionStatusBar } from '../ui/statusBar';
import { SIGNED_OUT } from './status';

export class SessionController implements vscode.Disposable {
  private session: SessionParams = SIGNED_OUT;
  private following: string | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly statusBar: SessionStatusBar,
    private readonly presence: PresenceRenderer,
  ) {
    this.subscription = presence.onDidChange((key) => {
      if (key === this.following) void this.reveal(key);
    });
    statusBar.show(this.session);
  }

  get state(): SessionParams {
    return this.session;
  }

  /** Participants to offer in Follow: the session's list, else whoever sent presence. */
  participants(): Participant[] {
    const listed = this.session.participants ?? [];
    if (listed.length > 0) return listed;
    return this.presence.model.keys().map((key) => {
      const state = this.presence.model.get(key);
      return { id: key, name: state?.name ?? key, colour: state?.colour };
    });
  }

  update(next: Partial<SessionParams>): void {
    this.session = { ...this.session, ...next };
    if (this.session.state !== 'connected' && this.session.state !== 'reconnecting') {
      this.presence.clear();
      this.following = undefined;
    } else if (next.participants) {
      this.presence.retain(next.participants.map(participantKey));
    }
    this.statusBar.show(this.session);
  }

  follow(participant: Participant | undefined): void {
    this.following = participant ? participantKey(participant) : undefined;
    if (this.following) void this.reveal(this.following);
  }

  private async reveal(key: string): Promise<void> {
    const state = this.presence.model.get(key);
    const caret = state?.cursor ?? state?.ranges[state.ranges.length - 1]?.end;
    if (!state || !caret) return;
    const uri = vscode.Uri.parse(state.uri);
    const editor =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) ??
      (await vscode.window.showTextDocument(uri, { preserveFocus: true, preview: true }));
    const position = new vscode.Position(caret.line, caret.character);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
