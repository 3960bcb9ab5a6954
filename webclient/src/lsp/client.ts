/**
 * The language-server connection over `/lsp/{project_id}`: JSON-RPC via vscode-ws-jsonrpc, the
 * initialize handshake, document sync for Monaco models, and reconnection with back-off.
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import type * as lsp from 'vscode-languageserver-protocol';
import { createWebSocketConnection, toSocket } from 'vscode-ws-jsonrpc';
import type { editor } from 'monaco-editor/editor/editor.api';
import { Emitter } from '../lib/emitter';
import { nextBackoff } from '../lib/backoff';
import { clientCapabilities } from './capabilities';
import { toLspUri } from './convert';

/** Close codes after which the bridge would refuse a retry just the same. */
const NO_RETRY_CLOSE_CODES = new Set([4401, 4403, 4404]);

export type LspState = 'connecting' | 'initializing' | 'ready' | 'offline' | 'unavailable';

interface OpenDoc {
  model: editor.ITextModel;
  sub: { dispose(): void };
}

export interface Token {
  isCancellationRequested: boolean;
  onCancellationRequested: (listener: () => void) => { dispose(): void };
}

const silentLogger = {
  error: (m: string) => console.warn('[lsp]', m),
  warn: () => undefined,
  info: () => undefined,
  log: () => undefined,
};

export class LspClient {
  readonly onState = new Emitter<LspState>();
  readonly onDiagnostics = new Emitter<lsp.PublishDiagnosticsParams>();
  readonly onMessage = new Emitter<{ type: number; message: string }>();
  state: LspState = 'connecting';
  capabilities: lsp.ServerCapabilities = {};
  applyEdit: (edit: lsp.WorkspaceEdit) => boolean = () => false;

  private connection: MessageConnection | null = null;
  private socket: WebSocket | null = null;
  private docs = new Map<string, OpenDoc>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly rootUri = 'devsync:///',
  ) {}

  start(): void {
    this.connect();
  }

  private setState(state: LspState) {
    this.state = state;
    this.onState.fire(state);
  }

  private connect() {
    if (this.disposed) return;
    this.setState('connecting');
    const ws = new WebSocket(this.url);
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      const connection = createWebSocketConnection(toSocket(ws), silentLogger);
      this.connection = connection;
      connection.onNotification(
        'textDocument/publishDiagnostics',
        (p: lsp.PublishDiagnosticsParams) => this.onDiagnostics.fire(p),
      );
      connection.onNotification('window/showMessage', (p: lsp.ShowMessageParams) =>
        this.onMessage.fire(p),
      );
      connection.onNotification('devsync/documentLimited', (p: { message: string }) =>
        this.onMessage.fire({ type: 2, message: p.message }),
      );
      connection.onNotification('window/logMessage', () => undefined);
      connection.onNotification('$/progress', () => undefined);
      connection.onRequest('workspace/applyEdit', (p: lsp.ApplyWorkspaceEditParams) => ({
        applied: this.applyEdit(p.edit),
      }));
      connection.onRequest('window/workDoneProgress/create', () => null);
      connection.onRequest('workspace/configuration', (p: lsp.ConfigurationParams) =>
        p.items.map(() => null),
      );
      connection.onRequest('client/registerCapability', () => null);
      connection.listen();
      void this.initialize(connection);
    };
    // addEventListener, not onclose: vscode-ws-jsonrpc's toSocket() takes over the on* properties.
    ws.addEventListener('close', (event: CloseEvent) => {
      this.connection?.dispose();
      this.connection = null;
      if (this.disposed) return;
      // Signed out, removed from the project, or no such project: retrying
      // cannot help (the collaboration socket shows the reason).
      if (NO_RETRY_CLOSE_CODES.has(event.code)) {
        this.setState('unavailable');
        return;
      }
      const wasReady = this.state === 'ready';
      this.setState(wasReady || this.attempt > 0 ? 'offline' : 'unavailable');
      const delay = nextBackoff(this.attempt++);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  private async initialize(connection: MessageConnection) {
    this.setState('initializing');
    try {
      const result = await connection.sendRequest<lsp.InitializeResult>('initialize', {
        processId: null,
        clientInfo: { name: 'devsync-web', version: '0.1.0' },
        rootUri: this.rootUri,
        workspaceFolders: [{ uri: this.rootUri, name: 'project' }],
        capabilities: clientCapabilities,
      });
      this.capabilities = result.capabilities ?? {};
      await connection.sendNotification('initialized', {});
      for (const { model } of this.docs.values()) this.sendOpen(model);
      this.setState('ready');
    } catch (err) {
      console.warn('[lsp] initialize failed', err);
      this.socket?.close();
    }
  }

  /** Keeps the server's copy of `model` in sync until `close` (or dispose). */
  open(model: editor.ITextModel): void {
    const uri = toLspUri(model.uri);
    if (this.docs.has(uri)) return;
    const sub = model.onDidChangeContent((e) => {
      if (!this.connection || this.state !== 'ready') return;
      // Single edits go incrementally; several at once (multi-cursor, remote bursts) as full text,
      // because Monaco reports them against the old text while LSP applies them in sequence.
      const changes: lsp.TextDocumentContentChangeEvent[] =
        e.changes.length === 1 && e.changes[0]
          ? [
              {
                range: {
                  start: {
                    line: e.changes[0].range.startLineNumber - 1,
                    character: e.changes[0].range.startColumn - 1,
                  },
                  end: {
                    line: e.changes[0].range.endLineNumber - 1,
                    character: e.changes[0].range.endColumn - 1,
                  },
                },
                text: e.changes[0].text,
              },
            ]
          : [{ text: model.getValue() }];
      void this.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: model.getVersionId() },
        contentChanges: changes,
      });
    });
    this.docs.set(uri, { model, sub });
    if (this.state === 'ready') this.sendOpen(model);
  }

  close(model: editor.ITextModel): void {
    const uri = toLspUri(model.uri);
    const doc = this.docs.get(uri);
    if (!doc) return;
    doc.sub.dispose();
    this.docs.delete(uri);
    if (this.connection && this.state === 'ready') {
      void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
  }

  private sendOpen(model: editor.ITextModel) {
    void this.connection?.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: toLspUri(model.uri),
        languageId: model.getLanguageId(),
        version: model.getVersionId(),
        text: model.getValue(),
      },
    });
  }

  isOpen(uri: string): boolean {
    return this.docs.has(uri);
  }

  /** A request, or null when the server is not ready; cancelled with Monaco's token. */
  async request<R>(method: string, params: unknown, token?: Token): Promise<R | null> {
    // ContentModified (-32801) means the server saw a newer version before answering (typing
    // went on); asking again then answers for the text the user now has.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!this.connection || this.state !== 'ready') return null;
      try {
        return await this.connection.sendRequest<R>(method, params, token as never);
      } catch (err) {
        if (token?.isCancellationRequested) return null;
        const e = err as { code?: number; message?: string };
        if (e.code === -32801) continue;
        if (e.code === -32800) return null; // cancelled
        console.warn(`[lsp] ${method} failed: ${e.message ?? String(err)}`);
        return null;
      }
    }
    return null;
  }

  notify(method: string, params: unknown): void {
    if (this.connection && this.state === 'ready')
      void this.connection.sendNotification(method, params);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const doc of this.docs.values()) doc.sub.dispose();
    this.docs.clear();
    if (this.connection) {
      const c = this.connection;
      void c
        .sendRequest('shutdown')
        .then(() => c.sendNotification('exit'))
        .catch(() => undefined)
        .finally(() => this.socket?.close());
    } else {
      this.socket?.close();
    }
    this.onState.clear();
  }
}
