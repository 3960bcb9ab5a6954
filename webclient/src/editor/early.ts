/**
 * A head start for a deep link to a project (`/projects/{id}/files/{path}`): the language-server
 * connection, the file's collaboration room and the project/tree requests begin while the editor
 * chunk (Monaco, most of the bytes) is still downloading and compiling, instead of after it.
 * No Monaco import here, so this module and its dependencies load as their own small chunk.
 * The workspace adopts what was started; anything not adopted within a while is closed.
 */
import type { Project, TreeEntry } from '../api/types';
import { Room } from '../collab/room';
import { api } from '../lib/api';
import { LspClient } from '../lsp/client';
import type * as lsp from 'vscode-languageserver-protocol';

export interface EarlyConnections {
  projectId: number;
  lsp: LspClient;
  rooms: Map<string, Room>;
  /** What the language server said before the workspace listened (replayed on adoption). */
  messages: { type: number; message: string }[];
  diagnostics: lsp.PublishDiagnosticsParams[];
  stopBuffering(): void;
}

interface EarlyFetches {
  projectId: number;
  project: Promise<Project>;
  tree: Promise<TreeEntry[]>;
}

const UNCLAIMED_MS = 20_000;
let connections: EarlyConnections | null = null;
let fetches: EarlyFetches | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

export function lspUrl(projectId: number): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/lsp/${projectId}`;
}

/** Starts the connections and requests a workspace for `projectId` (opening `file`) will need. */
export function prestart(projectId: number, file: string | null): void {
  discardEarly();
  const project = api.project(projectId);
  const tree = api.tree(projectId);
  // Nobody may be waiting yet: keep a failure from being reported as unhandled.
  project.catch(() => undefined);
  tree.catch(() => undefined);
  fetches = { projectId, project, tree };

  const client = new LspClient(lspUrl(projectId));
  const messages: EarlyConnections['messages'] = [];
  const diagnostics: EarlyConnections['diagnostics'] = [];
  const offs = [
    client.onMessage.on((m) => messages.push(m)),
    client.onDiagnostics.on((d) => diagnostics.push(d)),
  ];
  client.start();
  const rooms = new Map<string, Room>();
  if (file) rooms.set(file, new Room(projectId, file, undefined));
  connections = {
    projectId,
    lsp: client,
    rooms,
    messages,
    diagnostics,
    stopBuffering: () => offs.forEach((off) => off()),
  };
  timer = setTimeout(discardEarly, UNCLAIMED_MS);
}

export function takeEarlyFetches(projectId: number): EarlyFetches | null {
  const f = fetches;
  if (!f || f.projectId !== projectId) return null;
  fetches = null;
  return f;
}

export function takeEarlyConnections(projectId: number): EarlyConnections | null {
  const c = connections;
  if (!c || c.projectId !== projectId) return null;
  connections = null;
  clearTimeout(timer);
  return c;
}

/** Closes whatever was started and not adopted (the project failed to load, or was left). */
export function discardEarly(): void {
  clearTimeout(timer);
  fetches = null;
  const c = connections;
  connections = null;
  if (!c) return;
  c.stopBuffering();
  c.lsp.dispose();
  for (const room of c.rooms.values()) room.destroy();
}
