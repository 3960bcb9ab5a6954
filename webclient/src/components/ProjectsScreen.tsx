/** The projects list: create, open, delete (owners only). */
import { useEffect, useState, type FormEvent } from 'react';
import type { Project, User } from '../api/types';
import { api } from '../lib/api';
import { navigate, workspaceUrl } from '../lib/router';

export function ProjectsScreen({ user, onSignOut }: { user: User; onSignOut: () => void }) {
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api
      .projects()
      .then(setProjects)
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load();
  }, []);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const p = await api.createProject(name.trim());
      setName('');
      navigate(workspaceUrl(p.id));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const remove = async (p: Project) => {
    if (!confirm(`Delete project "${p.name}" and its history? This cannot be undone.`)) return;
    try {
      await api.deleteProject(p.id);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="page">
      <header className="topbar">
        <strong>DevSync</strong>
        <span className="spacer" />
        <span className="muted">{user.display_name || user.username}</span>
        <button onClick={onSignOut}>Sign out</button>
      </header>
      <main className="projects">
        <h2>Projects</h2>
        <form onSubmit={create} className="row">
          <input
            aria-label="New project name"
            placeholder="New project name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={128}
          />
          <button type="submit" className="primary">
            Create project
          </button>
        </form>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        {projects === null ? (
          <p className="muted">Loading…</p>
        ) : projects.length === 0 ? (
          <p className="muted">No projects yet: create one above.</p>
        ) : (
          <ul className="project-list">
            {projects.map((p) => (
              <li key={p.id}>
                <a
                  href={workspaceUrl(p.id)}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(workspaceUrl(p.id));
                  }}
                >
                  {p.name}
                </a>
                <span className="badge">{p.role}</span>
                <span className="spacer" />
                {p.role === 'owner' && (
                  <button
                    className="danger"
                    onClick={() => void remove(p)}
                    aria-label={`Delete ${p.name}`}
                  >
                    Delete
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
