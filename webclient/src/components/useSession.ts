/** Re-renders a component whenever the EditorSession reports a change. */
import { useSyncExternalStore } from 'react';
import type { EditorSession } from '../editor/session';

export function useSessionVersion(session: EditorSession | null): number {
  return useSyncExternalStore(
    (cb) => (session ? session.changed.on(cb) : () => undefined),
    () => session?.version ?? -1,
  );
}
