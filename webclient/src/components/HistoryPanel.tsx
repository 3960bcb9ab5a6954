/** Commit list for the project or the current file; diff any commit; restore a file from it. */
import { useCallback, useEffect, useState } from 'react';
import type { Commit, CommitDetail, FileChange } from '../api/types';
import type { EditorSession } from '../editor/session';
import { api } from '../lib/api';
import { DiffView } from './DiffView';

interface Props {
  session: EditorSession;
  refreshKey: number;
  onCommit: () => void;
}

interface DiffState {
  path: string;
  original: string;
  modified: string;
  title: string;
}

const shortSha = (sha: string) => sha.slice(0, 7);

export function HistoryPanel({ session, refreshKey, onCommit }: Props) {
  const [scope, setScope] = useState<'project' | 'file'>('project');
  const [commits, setCommits] = useState<Commit[] | null>(null);
  const [selected, setSelected] = useState<Commit | null>(null);
  const [detail, setDetail] = useState<CommitDetail | null>(null);
  const [diff, setDiff] = useState<DiffState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const activePath = session.current()?.room ? session.active : null;

  const load = useCallback(() => {
    setError(null);
    api
      .commits(session.projectId, scope === 'file' ? (activePath ?? undefined) : undefined)
      .then(setCommits)
      .catch((err: Error) => setError(err.message));
  }, [session.projectId, scope, activePath]);
  useEffect(load, [load, refreshKey]);

  const select = async (c: Commit) => {
    setSelected(c);
    setDetail(null);
    try {
      setDetail(await api.commit(session.projectId, c.sha));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const readAt = (path: string, ref: string) =>
    api.readFile(session.projectId, path, ref).catch(() => '');

  const showDiff = async (
    c: Commit,
    path: string,
    change: FileChange['change'],
    against: 'parent' | 'working',
  ) => {
    setError(null);
    const parent = c.parents?.[0];
    // Skip reads that can only 404: the file did not exist before an add, or after a delete.
    const atCommit = change === 'deleted' ? '' : await readAt(path, c.sha);
    if (against === 'parent') {
      const before = parent && change !== 'added' ? await readAt(path, parent) : '';
      setDiff({
        path,
        original: before,
        modified: atCommit,
        title: `${path}: ${parent ? shortSha(parent) : 'empty'} → ${shortSha(c.sha)}`,
      });
    } else {
      const model = session.files.find((f) => f.path === path)?.model;
      const working = model
        ? model.getValue()
        : await api.readFile(session.projectId, path).catch(() => '');
      setDiff({
        path,
        original: atCommit,
        modified: working,
        title: `${path}: ${shortSha(c.sha)} → working copy`,
      });
    }
  };

  const restore = async (c: Commit, path: string) => {
    if (
      !confirm(
        `Restore ${path} from ${shortSha(c.sha)}? Everyone editing it will see the change (and can undo it).`,
      )
    )
      return;
    try {
      // Open here: restore as my own edit in the live document, so everyone sees it and my
      // Ctrl+Z undoes it. Otherwise the server writes the file (and any live document).
      const text = session.files.some((f) => f.path === path && f.room)
        ? await api.readFile(session.projectId, path, c.sha)
        : null;
      if (text !== null && session.replaceText(path, text.replace(/\r\n?/g, '\n'))) {
        session.activate(path);
        session.editor?.focus();
      } else {
        await api.restore(session.projectId, path, c.sha);
      }
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const files = detail?.sha === selected?.sha ? (detail?.files ?? []) : [];
  return (
    <section className="side-panel" aria-label="History">
      <div className="row">
        <strong>History</strong>
        <span className="spacer" />
        {!session.readOnly && (
          <button className="primary" onClick={onCommit}>
            Commit…
          </button>
        )}
      </div>
      <div className="row small">
        <label>
          <input type="radio" checked={scope === 'project'} onChange={() => setScope('project')} />{' '}
          Project
        </label>
        <label>
          <input
            type="radio"
            checked={scope === 'file'}
            onChange={() => setScope('file')}
            disabled={!activePath}
          />{' '}
          Current file
        </label>
        <button onClick={load}>⟳</button>
      </div>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <ul className="commits">
        {commits?.length === 0 && <li className="muted">No commits yet.</li>}
        {commits?.map((c) => (
          <li
            key={c.sha}
            className={selected?.sha === c.sha ? 'selected' : ''}
            onClick={() => void select(c)}
          >
            <div className="commit-msg">{c.summary}</div>
            <div className="muted small">
              {c.short_sha} · {c.author_name} · {new Date(c.authored_at).toLocaleString()}
            </div>
          </li>
        ))}
      </ul>
      {selected && (
        <div className="commit-detail">
          <div className="small muted">Files in {shortSha(selected.sha)}</div>
          {files.map(({ path, change, insertions, deletions }) => (
            <div key={path} className="commit-file" data-path={path}>
              <span title={change}>
                {path}{' '}
                <span className="muted small">
                  +{insertions} −{deletions}
                </span>
              </span>
              <span className="spacer" />
              <button onClick={() => void showDiff(selected, path, change, 'parent')}>Diff</button>
              <button onClick={() => void showDiff(selected, path, change, 'working')}>
                vs working
              </button>
              {!session.readOnly && (
                <button onClick={() => void restore(selected, path)}>Restore</button>
              )}
            </div>
          ))}
        </div>
      )}
      {diff && <DiffView {...diff} onClose={() => setDiff(null)} />}
    </section>
  );
}
