/** Client-side routes: `/`, `/login`, `/projects/{id}`, `/projects/{id}/files/{path}`, `/join/{token}`. */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'projects' }
  | { name: 'login'; next: string | null }
  | { name: 'workspace'; projectId: number; file: string | null }
  | { name: 'join'; token: string }
  | { name: 'notFound' };

export function parseRoute(pathname: string, search = ''): Route {
  const params = new URLSearchParams(search);
  const invite = params.get('invite');
  if (invite) return { name: 'join', token: invite };
  const parts = pathname.split('/').filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'projects'))
    return { name: 'projects' };
  if (parts[0] === 'login' && parts.length === 1)
    return { name: 'login', next: params.get('next') };
  if (parts[0] === 'join' && parts.length === 2)
    return { name: 'join', token: decodeURIComponent(parts[1]!) };
  if (parts[0] === 'projects' && parts[1] && /^\d+$/.test(parts[1])) {
    const projectId = Number(parts[1]);
    if (parts.length === 2) return { name: 'workspace', projectId, file: null };
    if (parts[2] === 'files' && parts.length > 3) {
      return {
        name: 'workspace',
        projectId,
        file: parts.slice(3).map(decodeURIComponent).join('/'),
      };
    }
  }
  return { name: 'notFound' };
}

export function workspaceUrl(projectId: number, file?: string | null): string {
  const base = `/projects/${projectId}`;
  return file ? `${base}/files/${file.split('/').map(encodeURIComponent).join('/')}` : base;
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

export function navigate(url: string, replace = false): void {
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => location.pathname + location.search;

export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, snapshot);
}
