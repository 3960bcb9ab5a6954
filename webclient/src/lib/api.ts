/** The REST calls the web client makes, one function per route of ARCHITECTURE.md section 4. */
import type {
  Commit,
  CommitDetail,
  LoginResult,
  Project,
  Role,
  SessionCreated,
  SessionJoined,
  TreeEntry,
  User,
} from '../api/types';
import { ApiError, describeDetail, encodePath, request } from './http';
import { chatDelta, chatError, SseParser } from './sse';
import { normalizeTree } from './tree';

const p = (id: number) => `/api/projects/${id}`;

export const api = {
  register: (username: string, password: string) =>
    request<User>('POST', '/api/auth/register', { body: { username, password } }),
  login: (username: string, password: string) =>
    request<LoginResult>('POST', '/api/auth/login', { body: { username, password } }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<User>('GET', '/api/me'),

  projects: () => request<Project[]>('GET', '/api/projects'),
  project: (id: number) => request<Project>('GET', p(id)),
  createProject: (name: string) => request<Project>('POST', '/api/projects', { body: { name } }),
  deleteProject: (id: number) => request<void>('DELETE', p(id)),

  tree: async (id: number): Promise<TreeEntry[]> =>
    normalizeTree(await request<unknown>('GET', `${p(id)}/tree`)),
  readFile: (id: number, path: string, ref?: string) =>
    request<string>(
      'GET',
      `${p(id)}/files/${encodePath(path)}${ref ? `?ref=${encodeURIComponent(ref)}` : ''}`,
      { raw: true },
    ),
  writeFile: (id: number, path: string, text: string) =>
    request<unknown>('PUT', `${p(id)}/files/${encodePath(path)}`, { text }),
  deleteFile: (id: number, path: string) =>
    request<void>('DELETE', `${p(id)}/files/${encodePath(path)}`),
  moveFile: (id: number, path: string, to: string) =>
    request<unknown>('POST', `${p(id)}/files/${encodePath(path)}:move`, { body: { to } }),
  libFile: (id: number, path: string) =>
    request<string>('GET', `${p(id)}/lib/${encodePath(path)}`, { raw: true }),

  commits: (id: number, path?: string, limit = 50) =>
    request<unknown>(
      'GET',
      `${p(id)}/commits?limit=${limit}${path ? `&path=${encodeURIComponent(path)}` : ''}`,
    ).then(normalizeCommits),
  commit: (id: number, sha: string) => request<CommitDetail>('GET', `${p(id)}/commits/${sha}`),
  createCommit: (id: number, message: string, paths?: string[]) =>
    request<Commit>('POST', `${p(id)}/commits`, { body: paths ? { message, paths } : { message } }),
  restore: (id: number, path: string, ref: string) =>
    request<unknown>('POST', `${p(id)}/restore`, { body: { path, ref } }),

  createSession: (id: number, role: Role) =>
    request<SessionCreated>('POST', `${p(id)}/sessions`, { body: { role } }),
  joinSession: (inviteToken: string) =>
    request<SessionJoined>('POST', '/api/sessions/join', {
      body: { invite_token: inviteToken },
    }),
  endSession: (id: number, sid: number | string) =>
    request<void>('DELETE', `${p(id)}/sessions/${sid}`),
};

/** The commit log answer is paginated; accept a bare list or `{items|commits, next_cursor}`. */
export function normalizeCommits(body: unknown): Commit[] {
  if (Array.isArray(body)) return body as Commit[];
  const b = body as { items?: Commit[]; commits?: Commit[] } | null;
  return b?.items ?? b?.commits ?? [];
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Streams an AI chat answer; calls `onDelta` per piece of text. Throws ApiError-like errors. */
export async function streamChat(
  projectId: number,
  messages: ChatMessage[],
  context: { path?: string | null; selection?: string; text?: string },
  onDelta: (text: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const res = await fetch(`/api/projects/${projectId}/ai/chat`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ messages, context }),
    signal,
  });
  if (!res.ok || !res.body) {
    const body: unknown = await res.json().catch(() => null);
    throw new ApiError(res.status, describeDetail(body, res.status));
  }
  const parser = new SseParser();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const ev of parser.push(value)) {
      if (ev.event === 'error') throw new ApiError(502, chatError(ev.data));
      const delta = chatDelta(ev.data);
      if (delta === null) return;
      if (delta) onDelta(delta);
    }
  }
}
