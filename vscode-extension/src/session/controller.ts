/**
 * The session as the extension knows it: the latest `devsync/session` state,
 * the status bar, and following a participant (their editor and caret are
 * revealed on every presence update from them).
 */
import * as vscode from 'vscode';
import type { Participant, SessionParams } from '../protocol';
import { participantKey } from '../presence/model';
import { mergeParticipants } from './status';
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
      this.showStatus();
    });
    this.showStatus();
  }

  get state(): SessionParams {
    return this.session;
  }

  /** The session's participants plus anyone who sent presence and is not listed yet. */
  participants(): Participant[] {
    return mergeParticipants(this.session.participants ?? [], this.presence.model.states());
  }

  update(next: Partial<SessionParams>): void {
    this.session = { ...this.session, ...next };
    if (this.session.state !== 'connected' && this.session.state !== 'reconnecting') {
      this.presence.clear();
      this.following = undefined;
    } else if (next.participants) {
      this.presence.retain(next.participants.map(participantKey));
    }
    this.showStatus();
  }

  private showStatus(): void {
    this.statusBar.show({ ...this.session, participants: this.participants() });
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
