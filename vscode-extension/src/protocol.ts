/**
 * TypeScript mirror of the language server's catalogue (`lsp/protocol.py`):
 * server command ids, custom notifications and their payloads. Nothing else
 * in the extension spells a wire name.
 */

/** `workspace/executeCommand` ids served by `devsync lsp`. */
export const ServerCommand = {
  organizeImports: 'devsync.organizeImports',
  signIn: 'devsync.signIn',
  shareSession: 'devsync.shareSession',
  joinSession: 'devsync.joinSession',
  leaveSession: 'devsync.leaveSession',
  followParticipant: 'devsync.followParticipant',
  commit: 'devsync.commit',
  history: 'devsync.history',
  aiStats: 'devsync.ai.stats',
} as const;
export type ServerCommandId = (typeof ServerCommand)[keyof typeof ServerCommand];

/** Server -> client notifications. */
export const Notification = {
  /** A participant's cursor and selections in one document. */
  presence: 'devsync/presence',
  /** The session state changed (joined, reconnecting, participants...). */
  session: 'devsync/session',
  /** The document is too large for jedi and only gets diagnostics. */
  documentLimited: 'devsync/documentLimited',
} as const;

/** LSP position: zero-based line, UTF-16 character offset. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Participant {
  /** Stable id (the Yjs client id or user id); falls back to the name. */
  id?: string | number;
  name: string;
  /** CSS colour, `#rrggbb` preferred. */
  colour?: string;
  /** American spelling, accepted from peers that send it. */
  color?: string;
}

/**
 * `devsync/presence`: where one participant is. No `cursor` and no `ranges`
 * (or `uri: null`) means the participant left that document.
 */
export interface PresenceParams {
  user: Participant;
  uri: string | null;
  cursor?: Position | null;
  ranges?: Range[];
}

export type SessionStateName = 'signedOut' | 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** `devsync/session`: the whole session state, sent on every change. */
export interface SessionParams {
  state: SessionStateName;
  sessionId?: string | null;
  projectId?: string | null;
  role?: string | null;
  inviteLink?: string | null;
  participants?: Participant[];
  /** Edits kept while disconnected, merged on reconnect. */
  pendingEdits?: number;
}

/** One commit as `devsync.history` returns it (server keys are snake_case). */
export interface CommitWire {
  sha: string;
  short_sha?: string;
  shortSha?: string;
  summary?: string;
  message?: string;
  author_name?: string;
  authorName?: string;
  authored_at?: string;
  authoredAt?: string;
  parents?: string[];
}

/** `devsync.history` result: commits touching `path` (or the project when null). */
export interface HistoryResult {
  projectId: string;
  path: string | null;
  commits: CommitWire[];
}

/** `devsync.shareSession` result; a bare string is taken as the link. */
export type ShareResult = string | { inviteLink?: string; invite_link?: string; link?: string; url?: string };
