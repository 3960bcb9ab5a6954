/** Share: create an invite link with a role; the owner can end the session again. */
import { useState } from 'react';
import type { Role, SessionCreated } from '../api/types';
import { api } from '../lib/api';

export function ShareDialog({
  projectId,
  canEnd,
  onClose,
}: {
  projectId: number;
  canEnd: boolean;
  onClose: () => void;
}) {
  const [role, setRole] = useState<Role>('editor');
  const [session, setSession] = useState<SessionCreated | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    setError(null);
    try {
      setSession(await api.createSession(projectId, role));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const end = async () => {
    if (!session) return;
    try {
      await api.endSession(projectId, session.id);
      setSession(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const link = session ? new URL(session.invite_url, location.origin).toString() : '';

  return (
    <div className="overlay" role="dialog" aria-label="Share">
      <div className="card">
        <h3>Share this project</h3>
        {!session ? (
          <>
            <label>
              Invite as
              <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
                <option value="editor">Editor (can edit)</option>
                <option value="viewer">Viewer (read-only)</option>
              </select>
            </label>
            <button className="primary" onClick={() => void create()}>
              Create invite link
            </button>
          </>
        ) : (
          <>
            <label>
              Invite link ({session.role ?? role})
              <input
                readOnly
                value={link}
                onFocus={(e) => e.target.select()}
                aria-label="Invite link"
              />
            </label>
            <div className="row">
              <button onClick={() => void navigator.clipboard?.writeText(link)}>Copy</button>
              {canEnd && (
                <button className="danger" onClick={() => void end()}>
                  End session
                </button>
              )}
            </div>
          </>
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <div className="row">
          <span className="spacer" />
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
