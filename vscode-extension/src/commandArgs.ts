/**
 * Arguments for the server's `devsync.*` commands and the parsing of their
 * results. Pure, so the wire shapes are unit tested without VS Code. pygls
 * unpacks `arguments` one per handler parameter, so arguments are positional.
 */
import type { HistoryResult, Participant, ShareResult, CommitWire } from './protocol';

export function signInArgs(serverUrl: string, token: string): [string, string] {
  return [serverUrl.replace(/\/+$/, ''), token.trim()];
}

export function shareArgs(role: string): [string] {
  return [role];
}

/**
 * `devsync.joinSession` takes an invite link or a bare invite token. Users
 * paste links with spaces or angle brackets around them; keep only the link.
 * Returns undefined when nothing usable was given.
 */
export function joinArgs(input: string): [string] | undefined {
  const text = input.trim().replace(/^<|>$/g, '').trim();
  if (text === '') return undefined;
  if (/^https?:\/\//i.test(text)) {
    try {
      return [new URL(text).toString()];
    } catch {
      return undefined;
    }
  }
  return /^[A-Za-z0-9._~-]+$/.test(text) ? [text] : undefined;
}

export function followArgs(participant: Participant): [string] {
  return [String(participant.id ?? participant.name)];
}

export function commitArgs(message: string): [string] | undefined {
  const text = message.trim();
  return text === '' ? undefined : [text];
}

/** History of one document (its URI) or of the whole project (null). */
export function historyArgs(uri: string | undefined): [string | null] {
  return [uri ?? null];
}

/** The invite link in a `devsync.shareSession` result. */
export function inviteLinkFrom(result: ShareResult | null | undefined): string | undefined {
  if (typeof result === 'string') return result || undefined;
  if (result == null) return undefined;
  return result.inviteLink ?? result.invite_link ?? result.link ?? result.url ?? undefined;
}

/** A commit in the shape the history tree uses, whatever case the keys came in. */
export interface Commit {
  sha: string;
  shortSha: string;
  summary: string;
  author: string;
  date: string;
  parent: string | undefined;
}

export function toCommit(wire: CommitWire): Commit {
  const message = wire.summary ?? wire.message ?? '';
  return {
    sha: wire.sha,
    shortSha: wire.shortSha ?? wire.short_sha ?? wire.sha.slice(0, 7),
    summary: message.split('\n', 1)[0] ?? '',
    author: wire.authorName ?? wire.author_name ?? '',
    date: wire.authoredAt ?? wire.authored_at ?? '',
    parent: wire.parents?.[0],
  };
}

/** Validate a `devsync.history` result; throws with a readable reason. */
export function parseHistory(raw: unknown): HistoryResult {
  if (typeof raw !== 'object' || raw === null) throw new Error('history: expected an object');
  const obj = raw as Record<string, unknown>;
  const projectId = obj.projectId ?? obj.project_id;
  const commits = obj.commits ?? obj.items;
  if (typeof projectId !== 'string' && typeof projectId !== 'number') {
    throw new Error('history: missing projectId');
  }
  if (!Array.isArray(commits)) throw new Error('history: missing commits');
  const path = obj.path;
  return {
    projectId: String(projectId),
    path: typeof path === 'string' ? path : null,
    commits: commits.filter(
      (c): c is CommitWire => typeof c === 'object' && c !== null && typeof (c as CommitWire).sha === 'string',
    ),
  };
}
