/**
 * The language server's life in the extension: start (a failure is reported,
 * not fatal, so sign-in and the rest still load), restart, and routing of its
 * custom notifications to presence and the session.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { Notification, type PresenceParams, type SessionParams } from './protocol';
import type { PresenceRenderer } from './presence/renderer';
import type { SessionController } from './session/controller';
import type { Settings } from './settings';

export class LanguageServer implements vscode.Disposable {
  private current: LanguageClient | undefined;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  /** Fires after each successful (re)start. */
  readonly onDidStart = this.started.event;

  constructor(
    private readonly settings: () => Settings,
    private readonly output: vscode.LogOutputChannel,
    private readonly presence: PresenceRenderer,
    private readonly session: SessionController,
  ) {}

  get client(): LanguageClient | undefined {
    return this.current;
  }

  async start(): Promise<void> {
    const client = await createClient(this.settings(), this.output);
    client.onNotification(Notification.presence, (params: PresenceParams) => this.presence.apply(params));
    client.onNotification(Notification.session, (params: SessionParams) => this.session.update(params));
    client.onNotification(Notification.documentLimited, (params: { message?: string }) =>
      this.output.warn(params.message ?? 'document too large for full analysis'),
    );
    this.current = client;
    try {
      await client.start();
      this.started.fire(client);
    } catch (err) {
      const message = `DevSync: the language server did not start (${(err as Error).message}). Check devsync.pythonPath.`;
      this.output.error(message);
      void vscode.window.showErrorMessage(message, 'Open settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'devsync.');
      });
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    this.presence.clear();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    if (client?.isRunning()) await client.stop();
  }

  dispose(): void {
    void this.stop();
    this.started.dispose();
  }
}
