/** Sign in / create an account. Login sets an HttpOnly session cookie; nothing is kept in JS. */
import { useState, type FormEvent } from 'react';
import type { User } from '../api/types';
import { api } from '../lib/api';

export function AuthScreen({
  onSignedIn,
  error: initialError,
}: {
  onSignedIn: (u: User) => void;
  error?: string | null;
}) {
  const [mode, setMode] = useState<'signin' | 'signup'>('signin');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'signup') await api.register(username, password);
      const { user } = await api.login(username, password);
      onSignedIn(user);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth">
      <form
        className="card"
        onSubmit={submit}
        aria-label={mode === 'signin' ? 'Sign in' : 'Sign up'}
      >
        <h1>DevSync</h1>
        <p className="muted">
          {mode === 'signin' ? 'Sign in to your workspace' : 'Create an account'}
        </p>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={mode === 'signup' ? 8 : undefined}
          />
        </label>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'signin' ? 'Sign in' : 'Sign up'}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => (setMode(mode === 'signin' ? 'signup' : 'signin'), setError(null))}
        >
          {mode === 'signin' ? 'No account? Sign up' : 'Have an account? Sign in'}
        </button>
      </form>
    </div>
  );
}
