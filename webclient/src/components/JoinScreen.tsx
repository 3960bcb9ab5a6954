/** Opening an invite link: join the session, then go to the project. */
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { navigate, workspaceUrl } from '../lib/router';

export function JoinScreen({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .joinSession(token)
      .then((m) => navigate(workspaceUrl(m.project_id), true))
      .catch((err: Error) => setError(err.message));
  }, [token]);
  return (
    <div className="splash">
      {error ? (
        <div className="error" role="alert">
          Could not join the session: {error}
        </div>
      ) : (
        'Joining the session…'
      )}
    </div>
  );
}
