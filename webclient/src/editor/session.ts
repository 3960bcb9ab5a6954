/**
 * The workspace's editing state outside React: one Monaco editor, a Yjs room and binding per open
 * file, read-only library models, the LSP client, diagnostics, presence and follow mode.
 */
import type * as lsp from 'vscode-languageserver-protocol';
import type { Role, User } from '../api/types';
import { bindModel, type Binding } from '../collab/binding';
import { mergeParticipants, type AwarenessState, type Participant } from '../collab/participants';
import { CursorStyles, presenceUser, type PresenceUser } from '../collab/presence';
import { Room, type RoomStatus } from '../collab/room';
import { api } from '../lib/api';
import { Emitter } from '../lib/emitter';
import { LspClient, type LspState } from '../lsp/client';
import { toLspUri, toMarker, toTextEdit, workspaceEditByUri } from '../lsp/convert';
import { lspUrl, takeEarlyConnections, type EarlyConnections } from './early';
import { monaco } from './monaco';

export const fileUri = (path: string) => monaco.Uri.from({ scheme: 'devsync', path: `/${path}` });
export const pathOf = (uri: monaco.Uri) => uri.path.replace(/^\//, '');
export const languageOf = (path: string) =>
  path.endsWith('.py') || path.endsWith('.pyi')
    ? 'python'
    : path.endsWith('.md')
      ? 'markdown'
      : 'plaintext';

interface OpenFile {
  path: string;
  model: monaco.editor.ITextModel;
  room: Room | null; // null for read-only library files
  binding: Binding | null;
}

const VIEWER_MESSAGE = 'You joined as a viewer: this file is read-only.';

export class EditorSession {
  readonly changed = new Emitter<void>();
  readonly notices = new Emitter<{ type: number; message: string }>();
  readonly lsp: LspClient;
  readonly me: PresenceUser & { sid: string };
  editor: monaco.editor.IStandaloneCodeEditor | null = null;
  files: OpenFile[] = [];
  active: string | null = null;
  diagnostics = new Map<string, lsp.Diagnostic[]>();
  following: string | null = null;
  version = 0;
  private cursors = new CursorStyles();
  private editedPaths = new Set<string>();
  private seenMessages = new Set<string>();
  private presenceKey = '';
  /** Read before this session's first `open` overwrites the stored list. */
  private readonly savedTabs: string[];
  /** Rooms started before the editor loaded (early.ts), used when their file is opened. */
  private earlyRooms: Map<string, Room>;

  constructor(
    readonly projectId: number,
    user: User,
    readonly role: Role,
    early: EarlyConnections | null = takeEarlyConnections(projectId),
  ) {
    this.me = {
      ...presenceUser(user.id, user.display_name || user.username),
      sid: crypto.randomUUID(),
    };
    this.savedTabs = this.readSavedTabs();
    this.lsp = early?.lsp ?? new LspClient(lspUrl(projectId));
    this.earlyRooms = early?.rooms ?? new Map();
    this.lsp.onState.on(() => this.bump());
    this.lsp.onMessage.on((m) => this.onLspMessage(m));
    this.lsp.onDiagnostics.on((p) => this.setDiagnostics(p));
    this.lsp.applyEdit = (edit) => this.applyWorkspaceEdit(edit);
    if (early) {
      early.stopBuffering();
      early.messages.forEach((m) => this.onLspMessage(m));
      early.diagnostics.forEach((d) => this.setDiagnostics(d));
    } else {
      this.lsp.start();
    }
  }

  private onLspMessage(m: { type: number; message: string }) {
    // The server repeats some messages on every (re)connection; show each once.
    if (this.seenMessages.has(m.message)) return;
    this.seenMessages.add(m.message);
    this.notices.fire(m);
  }

  get readOnly(): boolean {
    return this.role === 'viewer';
  }

  private bump() {
    this.version++;
    this.changed.fire();
  }

  mount(container: HTMLElement): void {
    this.editor = monaco.editor.create(container, {
      model: null,
      automaticLayout: true,
      readOnly: this.readOnly,
      readOnlyMessage: { value: VIEWER_MESSAGE },
      fontSize: 14,
      minimap: { enabled: false },
      inlineSuggest: { enabled: true, mode: 'subword' },
      fixedOverflowWidgets: true,
      // In a shadow root the context menu is outside `.monaco-editor`, where the theme's CSS
      // variables live: it rendered with no background. In the page it gets them.
      useShadowDOM: false,
      theme: 'vs-dark',
      tabSize: 4,
      insertSpaces: true,
    });
    const ed = this.editor;
    const KM = monaco.KeyMod;
    const KC = monaco.KeyCode;
    ed.addCommand(KM.CtrlCmd | KC.KeyZ, () => this.current()?.binding?.undo.undo());
    ed.addCommand(KM.CtrlCmd | KC.KeyY, () => this.current()?.binding?.undo.redo());
    ed.addCommand(KM.CtrlCmd | KM.Shift | KC.KeyZ, () => this.current()?.binding?.undo.redo());
    ed.addCommand(
      KM.CtrlCmd | KC.RightArrow,
      () => void ed.trigger('keyboard', 'editor.action.inlineSuggest.acceptNextWord', {}),
      'inlineSuggestionVisible',
    );
    ed.onDidScrollChange(() => this.publishViewport());
    ed.onDidChangeModel(() => this.publishViewport());
    if (this.active) this.activate(this.active);
  }

  current(): OpenFile | undefined {
    return this.files.find((f) => f.path === this.active);
  }

  /** Opens (or focuses) a project file, joining its room. Resolves when the document is synced. */
  async open(path: string): Promise<void> {
    let file = this.files.find((f) => f.path === path);
    if (!file) {
      const uri = fileUri(path);
      const model =
        monaco.editor.getModel(uri) ?? monaco.editor.createModel('', languageOf(path), uri);
      model.setEOL(monaco.editor.EndOfLineSequence.LF);
      const diagnostics = this.diagnostics.get(toLspUri(uri));
      if (diagnostics) monaco.editor.setModelMarkers(model, 'devsync', diagnostics.map(toMarker));
      const early = this.earlyRooms.get(path);
      this.earlyRooms.delete(path);
      const room = early ?? new Room(this.projectId, path, this.me);
      if (early) early.setUser(this.me);
      room.onStatus.on((status) => {
        if (status === 'closed') this.roomClosed(path, room);
        this.bump();
      });
      room.awareness.on('change', () => this.onAwareness(room));
      room.text.observe((e) => {
        if (e.transaction.local) this.editedPaths.add(path);
      });
      file = { path, model, room, binding: null };
      this.files = [...this.files, file];
      this.saveTabs();
      if (this.editor) file.binding = bindModel(room, model, this.editor);
      this.lsp.open(model);
    }
    this.activate(path);
    await file.room?.whenSynced();
  }

  /** The project files that had tabs the last time this project was open in this browser. */
  private readSavedTabs(): string[] {
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(this.tabsKey) ?? '[]');
      return Array.isArray(saved) ? saved.filter((p): p is string => typeof p === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Opens the saved tabs that still exist, without making them active. */
  restoreTabs(existing: Set<string>): void {
    const active = this.active;
    for (const path of this.savedTabs) {
      if (existing.has(path) && !this.files.some((f) => f.path === path)) void this.open(path);
    }
    if (active) this.activate(active);
  }

  private get tabsKey() {
    return `devsync.tabs.${this.projectId}`;
  }

  private saveTabs() {
    const paths = this.files.filter((f) => f.room).map((f) => f.path);
    try {
      localStorage.setItem(this.tabsKey, JSON.stringify(paths));
    } catch {
      /* storage disabled: tabs are just not restored */
    }
  }

  /** Opens a read-only library file (`devsync-lib:///...`), e.g. from go to definition. */
  async openLib(uri: monaco.Uri, selection?: monaco.IRange): Promise<void> {
    const model = await this.ensureModel(uri.toString());
    if (!model) return;
    const key = toLspUri(uri); // devsync-lib:///path, the form the rest of the UI recognises
    if (!this.files.some((f) => f.path === key)) {
      this.files = [...this.files, { path: key, model, room: null, binding: null }];
    }
    this.activate(key, selection);
  }

  /** A model for a URI from the language server: library files from the API, project files too. */
  async ensureModel(uriString: string): Promise<monaco.editor.ITextModel | null> {
    const uri = monaco.Uri.parse(uriString);
    const existing = monaco.editor.getModel(uri);
    if (existing) return existing;
    const path = pathOf(uri);
    try {
      const text =
        uri.scheme === 'devsync-lib'
          ? await api.libFile(this.projectId, path)
          : uri.scheme === 'devsync'
            ? await api.readFile(this.projectId, path)
            : null;
      if (text === null) return null;
      const model =
        monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, languageOf(path), uri);
      model.setEOL(monaco.editor.EndOfLineSequence.LF);
      return model;
    } catch (err) {
      this.notices.fire({ type: 1, message: `Cannot open ${path}: ${(err as Error).message}` });
      return null;
    }
  }

  activate(path: string, selection?: monaco.IRange): void {
    this.active = path;
    const file = this.current();
    if (file && this.editor) {
      if (this.editor.getModel() !== file.model) this.editor.setModel(file.model);
      if (file.room && !file.binding) file.binding = bindModel(file.room, file.model, this.editor);
      const closed = file.room?.closedReason ?? null;
      this.editor.updateOptions({
        readOnly: this.readOnly || !file.room || closed !== null,
        readOnlyMessage: { value: closed !== null ? `Read-only: ${closed}.` : VIEWER_MESSAGE },
      });
      if (selection) {
        this.editor.setSelection(selection);
        this.editor.revealRangeInCenter(selection);
      }
    }
    for (const f of this.files) f.room?.awareness.setLocalStateField('activeFile', path);
    this.bump();
  }

  close(path: string): void {
    const file = this.files.find((f) => f.path === path);
    if (!file) return;
    this.files = this.files.filter((f) => f !== file);
    if (!this.disposing) this.saveTabs();
    file.binding?.dispose();
    file.room?.destroy();
    this.lsp.close(file.model);
    if (this.active === path) {
      const next = this.files[this.files.length - 1];
      this.active = null;
      if (next) this.activate(next.path);
      else this.editor?.setModel(null);
    }
    file.model.dispose();
    this.bump();
  }

  /** Closes a renamed or deleted file's tab (its room ends on the server). */
  forget(pathPrefix: string): void {
    for (const f of [...this.files]) {
      if (f.path === pathPrefix || f.path.startsWith(`${pathPrefix}/`)) this.close(f.path);
    }
  }

  /**
   * Makes an open, synced project file read `text` as this user's own edit: it reaches everyone
   * through the live document and Ctrl+Z undoes it. Only the changed middle is replaced, so
   * carets elsewhere stay put. False when the file is not open live here.
   */
  replaceText(path: string, text: string): boolean {
    const file = this.files.find((f) => f.path === path);
    const room = file?.room;
    if (!file || !room || !file.binding || !room.synced || room.closedReason !== null) return false;
    const model = file.model;
    const old = model.getValue();
    if (old === text) return true;
    let start = 0;
    const max = Math.min(old.length, text.length);
    while (start < max && old[start] === text[start]) start++;
    let end = 0;
    while (end < max - start && old[old.length - 1 - end] === text[text.length - 1 - end]) end++;
    const range = monaco.Range.fromPositions(
      model.getPositionAt(start),
      model.getPositionAt(old.length - end),
    );
    model.pushStackElement();
    model.pushEditOperations(
      null,
      [{ range, text: text.slice(start, text.length - end), forceMoveMarkers: true }],
      () => null,
    );
    model.pushStackElement();
    file.binding.undo.stopCapturing(); // one undo step, not merged with typing around it
    return true;
  }

  /** The server closed a file's room for good: say why, and stop taking edits there. */
  private roomClosed(path: string, room: Room): void {
    this.notices.fire({
      type: 1,
      message: `${path}: ${room.closedReason} — the file is now read-only.`,
    });
    if (this.active === path && this.editor)
      this.editor.updateOptions({
        readOnly: true,
        readOnlyMessage: { value: `Read-only: ${room.closedReason}.` },
      });
  }

  connection(): RoomStatus | 'idle' {
    const rooms = this.files.flatMap((f) => (f.room ? [f.room] : []));
    if (rooms.length === 0) return 'idle';
    if (rooms.some((r) => r.status === 'closed')) return 'closed';
    if (rooms.some((r) => r.status === 'disconnected')) return 'disconnected';
    if (rooms.some((r) => r.status === 'connecting')) return 'connecting';
    return 'connected';
  }

  lspState(): LspState {
    return this.lsp.state;
  }

  participants(): Participant[] {
    const rooms = this.files.flatMap((f) =>
      f.room
        ? [
            {
              states: f.room.awareness.getStates() as Map<number, AwarenessState>,
              selfId: f.room.doc.clientID,
              path: f.path,
            },
          ]
        : [],
    );
    const list = mergeParticipants(rooms, this.me.sid);
    return list.some((p) => p.self)
      ? list
      : [
          {
            sid: this.me.sid,
            user: this.me,
            activeFile: this.active,
            viewportTop: null,
            self: true,
          },
          ...list,
        ];
  }

  editedSinceCommit(): string[] {
    return [...this.editedPaths].sort();
  }

  markCommitted(): void {
    this.editedPaths.clear();
  }

  follow(sid: string | null): void {
    this.following = sid;
    this.applyFollow();
    this.bump();
  }

  private onAwareness(room: Room) {
    this.cursors.update(
      room.awareness.getStates() as Map<number, AwarenessState>,
      room.doc.clientID,
    );
    // Most awareness changes are caret moves (one per keystroke of every peer), which y-monaco
    // draws itself; re-render the workspace only when who is here, or where, changed.
    const key = JSON.stringify(
      this.participants().map((p) => [
        p.sid,
        p.user.name,
        p.user.color,
        p.activeFile,
        p.viewportTop,
      ]),
    );
    if (key === this.presenceKey) return;
    this.presenceKey = key;
    this.applyFollow();
    this.bump();
  }

  private applyFollow() {
    if (!this.following) return;
    const target = this.participants().find((p) => p.sid === this.following);
    if (!target) return;
    if (
      target.activeFile &&
      target.activeFile !== this.active &&
      !target.activeFile.includes('://')
    ) {
      void this.open(target.activeFile);
    }
    if (target.viewportTop !== null && this.editor) this.editor.setScrollTop(target.viewportTop);
  }

  private publishViewport() {
    const top = this.editor?.getScrollTop() ?? 0;
    const awareness = this.current()?.room?.awareness;
    // Horizontal scrolling (a long line being typed) also lands here: send only a new top.
    const state = awareness?.getLocalState() as AwarenessState | null | undefined;
    if (!awareness || state?.viewport?.top === top) return;
    awareness.setLocalStateField('viewport', { top });
  }

  private setDiagnostics(p: lsp.PublishDiagnosticsParams) {
    this.diagnostics.set(p.uri, p.diagnostics);
    const model = monaco.editor.getModel(monaco.Uri.parse(p.uri));
    if (model) monaco.editor.setModelMarkers(model, 'devsync', p.diagnostics.map(toMarker));
    this.bump();
  }

  /** Applies a server-sent WorkspaceEdit to open models (so it reaches everyone through Yjs). */
  applyWorkspaceEdit(edit: lsp.WorkspaceEdit): boolean {
    if (this.readOnly) return false;
    let all = true;
    for (const [uri, edits] of workspaceEditByUri(edit)) {
      const model = monaco.editor.getModel(monaco.Uri.parse(uri));
      if (!model) {
        all = false;
        continue;
      }
      model.pushEditOperations(
        [],
        edits.map(toTextEdit).map((e) => ({ range: e.range, text: e.text })),
        () => null,
      );
    }
    return all;
  }

  private disposing = false;

  dispose(): void {
    this.disposing = true;
    for (const f of [...this.files]) this.close(f.path);
    for (const room of this.earlyRooms.values()) room.destroy();
    this.earlyRooms.clear();
    this.lsp.dispose();
    this.editor?.dispose();
    this.changed.clear();
  }
}
