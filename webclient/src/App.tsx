/** Top level: who is signed in, and which screen the URL asks for. */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { User } from './api/types';
import { AuthScreen } from './components/AuthScreen';
import { JoinScreen } from './components/JoinScreen';
import { ProjectsScreen } from './components/ProjectsScreen';
import { api } from './lib/api';
import { ApiError } from './lib/http';
import { navigate, parseRoute, useLocationKey } from './lib/router';
import { signedInHint } from './lib/signedIn';

const loadWorkspace = () => import('./components/Workspace');
const Workspace = lazy(loadWorkspace);
// A deep link to a project: fetch and parse the editor chunk while /api/me is answered,
// instead of after it (the chunk is most of the time to a ready editor), and meanwhile open the
// language-server and collaboration connections and ask for the project and its tree (early.ts,
// a small chunk of its own). Only for a browser that has signed in before: otherwise these
// would all be refused.
const firstRoute = parseRoute(location.pathname, location.search);
if (firstRoute.name === 'workspace') {
  void loadWorkspace();
  if (signedInHint.get()) {
    void import('./editor/early').then((m) => m.prestart(firstRoute.projectId, firstRoute.file));
  }
}

export function App() {
  useLocationKey();
  const route = parseRoute(location.pathname, location.search);
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const loadMe = useCallback(() => {
    // The session cookie is HttpOnly; this hint only spares a 401 (a console error) on a
    // first visit. The server stays the judge: a stale hint just costs one /api/me call.
    if (!signedInHint.get()) {
      setUser(null);
      return;
    }
    api
      .me()
      .then(setUser)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          signedInHint.set(false);
          // The hint was stale: close what a deep link started for a signed-in user.
          if (firstRoute.name === 'workspace')
            void import('./editor/early').then((m) => m.discardEarly());
          setUser(null);
        } else {
          setError((err as Error).message);
          setUser(null);
        }
      });
  }, []);
  useEffect(loadMe, [loadMe]);

  if (user === undefined) return <div className="splash">Loading DevSync…</div>;
  if (user === null || route.name === 'login') {
    const next = route.name === 'login' ? route.next : location.pathname + location.search;
    return (
      <AuthScreen
        error={error}
        onSignedIn={(u) => {
          signedInHint.set(true);
          setUser(u);
          navigate(next && next !== '/login' ? next : '/', true);
        }}
      />
    );
  }
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    signedInHint.set(false);
    setUser(null);
    navigate('/login', true);
  };
  switch (route.name) {
    case 'projects':
      return <ProjectsScreen user={user} onSignOut={signOut} />;
    case 'join':
      return <JoinScreen token={route.token} />;
    case 'workspace':
      return (
        <Suspense fallback={<div className="splash">Opening the editor…</div>}>
          <Workspace
            key={route.projectId}
            user={user}
            projectId={route.projectId}
            file={route.file}
          />
        </Suspense>
      );
    default:
      return (
        <div className="splash">
          Nothing here.{' '}
          <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
            Projects
          </a>
        </div>
      );
  }
}
