/**
 * The session state as the status bar shows it: text, tooltip, and the list
 * of participants to follow. Pure.
 */
import { participantKey, type PresenceState } from '../presence/model';
import type { Participant, SessionParams } from '../protocol';

export const SIGNED_OUT: SessionParams = { state: 'signedOut', participants: [] };

export interface StatusView {
  text: string;
  tooltip: string;
}

const ICON: Record<SessionParams['state'], string> = {
  signedOut: '$(account)',
  idle: '$(live-share)',
  connecting: '$(sync~spin)',
  connected: '$(broadcast)',
  reconnecting: '$(debug-disconnect)',
};

function names(participants: Participant[]): string {
  return participants.map((p) => p.name).join(', ');
}

export function statusView(session: SessionParams): StatusView {
  const participants = session.participants ?? [];
  const icon = ICON[session.state] ?? '$(live-share)';
  switch (session.state) {
    case 'signedOut':
      return { text: `${icon} DevSync`, tooltip: 'DevSync: not signed in. Click to sign in.' };
    case 'idle':
      return { text: `${icon} DevSync`, tooltip: 'DevSync: signed in, no session. Click to share or join.' };
    case 'connecting':
      return { text: `${icon} DevSync: connecting`, tooltip: 'DevSync: joining the session…' };
    case 'reconnecting': {
      const pending = session.pendingEdits ? ` (${session.pendingEdits} edits kept)` : '';
      return {
        text: `${icon} DevSync: offline${pending}`,
        tooltip: 'DevSync: the server is unreachable; edits are kept and merged when it is back.',
      };
    }
    case 'connected':
      return {
        text: `${icon} DevSync: ${participants.length + 1}`,
        tooltip:
          participants.length === 0
            ? 'DevSync: in a session, nobody else here yet.'
            : `DevSync: in a session with ${names(participants)}.`,
      };
  }
}

/**
 * The session's list, then participants only known from presence (the server
 * may announce a newcomer's cursor before its next session update).
 */
export function mergeParticipants(listed: Participant[], present: PresenceState[]): Participant[] {
  const keys = new Set(listed.map(participantKey));
  const extra = present
    .filter((p) => !keys.has(p.key) && !listed.some((l) => l.name === p.name))
    .map((p) => ({ id: p.key, name: p.name, colour: p.colour }));
  return [...listed, ...extra];
}
