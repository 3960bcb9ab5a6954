/**
 * `devsync-history:` documents: a file as it was at a commit, read from the
 * DevSync server (`GET /api/projects/{id}/files/{path}?ref=`), so VS Code's
 * diff editor can compare two commits.
 */
import * as vscode from 'vscode';

export const SCHEME = 'devsync-history';

export interface HistoryRef {
  projectId: string;
  path: string;
  /** Commit sha; empty means "did not exist" (the first commit's parent). */
  ref: string;
}

export function historyUri({ projectId, path, ref }: HistoryRef): vscode.Uri {
  const query = new URLSearchParams({ project: projectId, ref }).toString();
  return vscode.Uri.from({ scheme: SCHEME, path: `/${path.replace(/^\/+/, '')}`, query });
}

export function parseHistoryUri(uri: vscode.Uri): HistoryRef {
  const query = new URLSearchParams(uri.query);
  return { projectId: query.get('project') ?? '', path: uri.path.replace(/^\/+/, ''), ref: query.get('ref') ?? '' };
}

/** Server request URL of one file at one ref. */
export function fileAtRefUrl(serverUrl: string, at: HistoryRef): string {
  const path = at.path.split('/').map(encodeURIComponent).join('/');
  return `${serverUrl}/api/projects/${encodeURIComponent(at.projectId)}/files/${path}?ref=${encodeURIComponent(at.ref)}`;
}

export class HistoryContentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly serverUrl: () => string,
    private readonly token: () => Promise<string | undefined>,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const at = parseHistoryUri(uri);
    if (!at.ref) return '';
    const token = await this.token();
    const response = await fetch(fileAtRefUrl(this.serverUrl(), at), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (response.status === 404) return ''; // the file did not exist at that commit
    if (!response.ok) throw new Error(`DevSync server answered ${response.status} for ${at.path}@${at.ref}`);
    return response.text();
  }
}

/** Paths a commit changed (`GET /api/projects/{id}/commits/{sha}`). */
export async function fetchChangedFiles(
  serverUrl: string,
  token: string | undefined,
  projectId: string,
  sha: string,
): Promise<string[]> {
  const url = `${serverUrl}/api/projects/${encodeURIComponent(projectId)}/commits/${encodeURIComponent(sha)}`;
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`DevSync server answered ${response.status} for commit ${sha}`);
  const detail = (await response.json()) as { files?: { path: string }[] };
  return (detail.files ?? []).map((f) => f.path);
}
