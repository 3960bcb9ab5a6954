/** Merges the awareness states of every open room into one list of people, one entry per tab. */
import type { PresenceUser } from './presence';

export interface AwarenessState {
  user?: PresenceUser & { sid?: string };
  activeFile?: string | null;
  viewport?: { top: number } | null;
}

export interface Participant {
  sid: string;
  user: PresenceUser;
  activeFile: string | null;
  viewportTop: number | null;
  self: boolean;
}

export function mergeParticipants(
  rooms: { states: Map<number, AwarenessState>; selfId: number; path?: string }[],
  selfSid: string,
): Participant[] {
  const bySid = new Map<string, Participant>();
  for (const { states, path } of rooms) {
    for (const [clientId, state] of states) {
      const user = state.user;
      if (!user?.name) continue;
      const sid = user.sid ?? `${user.id}:${clientId}`;
      const seen = bySid.get(sid);
      if (seen) {
        // Each room has the viewport of that file; the one of the file they look at counts.
        if (path !== undefined && path === state.activeFile)
          seen.viewportTop = state.viewport?.top ?? null;
        continue;
      }
      bySid.set(sid, {
        sid,
        user,
        activeFile: state.activeFile ?? null,
        viewportTop: state.viewport?.top ?? null,
        self: sid === selfSid,
      });
    }
  }
  return [...bySid.values()].sort((a, b) =>
    a.self === b.self ? a.user.name.localeCompare(b.user.name) : a.self ? -1 : 1,
  );
}
