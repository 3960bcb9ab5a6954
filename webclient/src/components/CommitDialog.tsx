/** Commit the working tree: a message and the files that changed. */
import { useState, type FormEvent } from 'react';
import type { EditorSession } from '../editor/session';
import { api } from '../lib/api';

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
  // The contract has no working-tree status route: list the files edited in this browser.
  const files = session.editedSinceCommit();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
        <div className="small muted">Files edited here since the last commit</div>
        <ul className="changed">
          {files.length ? (
            files.map((f) => <li key={f}>{f}</li>)
          ) : (
            <li className="muted">(none here; the commit takes every change in the project)</li>
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
