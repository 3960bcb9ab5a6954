/** Commit the working tree: a message and the files that changed. */
import { useEffect, useState, type FormEvent } from 'react';
import type { EditorSession } from '../editor/session';
import { api } from '../lib/api';
import { request } from '../lib/http';

export function CommitDialog({
  session,
  onDone,
  onCancel,
}: {
  session: EditorSession;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<string[]>(session.editedSinceCommit());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // The server's view of changed files, when it offers one; otherwise what was edited here.
    request<{ changed?: string[]; files?: ({ path: string } | string)[] }>(
      'GET',
      `/api/projects/${session.projectId}/status`,
    )
      .then((s) => {
        const list = s.changed ?? s.files?.map((f) => (typeof f === 'string' ? f : f.path));
        if (list) setFiles(list);
      })
      .catch(() => undefined);
  }, [session.projectId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.createCommit(session.projectId, message.trim());
      session.markCommitted();
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="overlay" role="dialog" aria-label="Commit">
      <form className="card" onSubmit={submit}>
        <h3>Commit changes</h3>
        <div className="small muted">Changed files</div>
        <ul className="changed">
          {files.length ? (
            files.map((f) => <li key={f}>{f}</li>)
          ) : (
            <li className="muted">(the server decides; nothing edited here)</li>
          )}
        </ul>
        <label>
          Message
          <textarea
            name="message"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            required
            rows={3}
            autoFocus
          />
        </label>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !message.trim()}>
            Commit
          </button>
        </div>
      </form>
    </div>
  );
}
