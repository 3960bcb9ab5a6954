/** The project tree: normalising the server's answer and shaping it into folders for display. */
import type { TreeEntry } from '../api/types';

interface NestedNode {
  path?: string;
  name?: string;
  type?: string;
  kind?: string;
  size?: number | null;
  children?: NestedNode[];
}

/** Accepts a flat list, `{entries|files|items: [...]}`, or a nested `{children}` tree. */
export function normalizeTree(body: unknown): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (node: NestedNode | string, parent: string) => {
    if (typeof node === 'string') {
      out.push({ path: node.replace(/\/$/, ''), type: node.endsWith('/') ? 'dir' : 'file' });
      return;
    }
    const path = node.path ?? (parent ? `${parent}/${node.name ?? ''}` : (node.name ?? ''));
    const kind = node.type ?? node.kind ?? (node.children ? 'dir' : 'file');
    const isDir = kind === 'dir' || kind === 'directory' || kind === 'tree';
    if (path)
      out.push({ path: path.replace(/\/$/, ''), type: isDir ? 'dir' : 'file', size: node.size });
    node.children?.forEach((c) => visit(c, path));
  };
  const b = body as { entries?: unknown; files?: unknown; items?: unknown; children?: unknown };
  const list = Array.isArray(body)
    ? body
    : Array.isArray(b?.entries)
      ? b.entries
      : Array.isArray(b?.files)
        ? b.files
        : Array.isArray(b?.items)
          ? b.items
          : b?.children
            ? [b as NestedNode]
            : [];
  (list as (NestedNode | string)[]).forEach((n) => visit(n, ''));
  // Parents of files may be implicit in a flat list: add them so folders render.
  const dirs = new Set(out.filter((e) => e.type === 'dir').map((e) => e.path));
  for (const e of [...out]) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        out.push({ path: d, type: 'dir' });
      }
    }
  }
  return out.sort(compareEntries);
}

/** Folders first, then by path, so a depth-first listing comes out in display order. */
export function compareEntries(a: TreeEntry, b: TreeEntry): number {
  const pa = a.path.split('/');
  const pb = b.path.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const aDir = i < pa.length - 1 || a.type === 'dir';
    const bDir = i < pb.length - 1 || b.type === 'dir';
    if (aDir !== bDir) return aDir ? -1 : 1;
    return (pa[i] ?? '').localeCompare(pb[i] ?? '');
  }
  return pa.length - pb.length;
}

/** The rows shown for a tree with some folders collapsed. */
export function visibleRows(entries: TreeEntry[], collapsed: Set<string>): TreeEntry[] {
  return entries.filter((e) => {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (collapsed.has(parts.slice(0, i).join('/'))) return false;
    }
    return true;
  });
}

export const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
export const depth = (path: string) => path.split('/').length - 1;
