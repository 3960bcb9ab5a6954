/** The project's files: open on click; create, rename and delete with the server's errors shown. */
import { useState } from 'react';
import type { TreeEntry } from '../api/types';
import { api } from '../lib/api';
import { basename, depth, visibleRows } from '../lib/tree';

interface Props {
  projectId: number;
  entries: TreeEntry[];
  active: string | null;
  readOnly: boolean;
  onOpen: (path: string) => void;
  onChanged: (removedPath?: string) => void;
}

export function FileTree({ projectId, entries, active, readOnly, onOpen, onChanged }: Props) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (what: () => Promise<unknown>, removed?: string) => {
    setError(null);
    try {
      await what();
      onChanged(removed);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const target = selected ?? active;
  const folderOf = (p: string | null) => {
    if (!p) return '';
    const e = entries.find((x) => x.path === p);
    return e?.type === 'dir' ? `${p}/` : p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '';
  };

  const create = () => {
    const name = prompt('New file path (folders are created as needed):', folderOf(target));
    if (!name?.trim()) return;
    const path = name.trim().replace(/^\/+/, '');
    void run(async () => {
      await api.writeFile(projectId, path, '');
      onOpen(path);
    });
  };
  const rename = () => {
    if (!target) return;
    const to = prompt(`Rename ${target} to:`, target);
    if (!to?.trim() || to.trim() === target) return;
    void run(() => api.moveFile(projectId, target, to.trim()), target);
  };
  const remove = () => {
    if (!target || !confirm(`Delete ${target}?`)) return;
    void run(() => api.deleteFile(projectId, target), target);
  };

  return (
    <nav className="tree" aria-label="Files">
      <div className="tree-actions">
        <span>Files</span>
        <span className="spacer" />
        {!readOnly && (
          <>
            <button title="New file" aria-label="New file" onClick={create}>
              New
            </button>
            <button title="Rename" aria-label="Rename" onClick={rename} disabled={!target}>
              Rename
            </button>
            <button title="Delete" aria-label="Delete" onClick={remove} disabled={!target}>
              Delete
            </button>
          </>
        )}
        <button title="Refresh" aria-label="Refresh files" onClick={() => onChanged()}>
          ⟳
        </button>
      </div>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <ul>
        {visibleRows(entries, collapsed).map((e) => (
          <li
            key={e.path}
            className={`${e.path === active ? 'active' : ''} ${e.path === selected ? 'selected' : ''}`}
            style={{ paddingLeft: 8 + depth(e.path) * 14 }}
            data-path={e.path}
            onClick={() => {
              setSelected(e.path);
              if (e.type === 'dir') {
                const next = new Set(collapsed);
                if (next.has(e.path)) next.delete(e.path);
                else next.add(e.path);
                setCollapsed(next);
              } else onOpen(e.path);
            }}
          >
            <span className="icon">
              {e.type === 'dir' ? (collapsed.has(e.path) ? '▸' : '▾') : '·'}
            </span>
            {basename(e.path)}
          </li>
        ))}
      </ul>
    </nav>
  );
}
