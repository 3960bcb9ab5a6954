/**
 * One collaborative document: a Y.Doc synced over y-websocket with `/collab/{project_id}/{path}`.
 * The shared text is the Y.Text named `content`; awareness carries the user, cursor and viewport.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { encodePath } from '../lib/http';
import { Emitter } from '../lib/emitter';
import type { PresenceUser } from './presence';

export type RoomStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

/**
 * Close codes after which reconnecting cannot help (server/collab/protocol.py): signed out,
 * no longer allowed, the file is gone, the session joined through was ended.
 */
export const FINAL_CLOSE_CODES = new Set([4401, 4403, 4404, 4410]);

export function collabBaseUrl(
  location: { protocol: string; host: string },
  projectId: number,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/collab/${projectId}`;
}

type AwarenessHandler = (
  changes: { added: number[]; updated: number[]; removed: number[] },
  origin: unknown,
) => void;

/**
 * y-websocket re-sends every awareness update it receives (origin: the provider) to the server,
 * so each caret move of one peer came back from every other peer. The server relays each
 * client's own states and replays them to joiners (server/collab/awareness.py), and drops
 * entries sent by a connection that does not own them: the echoes were pure load on both
 * sides. Only updates that did not come from the server are sent.
 */
export function sendOwnAwarenessOnly(provider: WebsocketProvider): void {
  const p = provider as unknown as { _awarenessUpdateHandler?: AwarenessHandler };
  const original = p._awarenessUpdateHandler;
  if (typeof original !== 'function') return; // another y-websocket version: leave it as is
  const filtered: AwarenessHandler = (changes, origin) => {
    if (origin !== provider) original(changes, origin);
  };
  provider.awareness.off('update', original);
  provider.awareness.on('update', filtered);
  p._awarenessUpdateHandler = filtered; // destroy() unregisters this one
}

export class Room {
  readonly doc = new Y.Doc();
  readonly text: Y.Text;
  readonly provider: WebsocketProvider;
  readonly onStatus = new Emitter<RoomStatus>();
  status: RoomStatus = 'connecting';
  synced = false;
  /** Why the server closed this room for good (a final close code), or null. */
  closedReason: string | null = null;
  private everConnected = false;
  private syncWaiters: (() => void)[] = [];

  constructor(
    readonly projectId: number,
    readonly path: string,
    user: PresenceUser | undefined,
    base = collabBaseUrl(window.location, projectId),
  ) {
    this.text = this.doc.getText('content');
    this.provider = new WebsocketProvider(base, encodePath(path), this.doc, {
      maxBackoffTime: 5000,
    });
    sendOwnAwarenessOnly(this.provider);
    // Without a user (a room started before the workspace knew who is here), peers do not list
    // this client until `setUser`.
    if (user) this.setUser(user);
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      if (!event || !FINAL_CLOSE_CODES.has(event.code)) return;
      this.closedReason = event.reason || `closed by the server (${event.code})`;
      this.provider.shouldConnect = false; // y-websocket would reconnect in vain
      this.status = 'closed';
      this.onStatus.fire('closed');
    });
    this.provider.on('status', ({ status }: { status: RoomStatus }) => {
      if (this.closedReason !== null) return;
      // y-websocket flips between "disconnected" and "connecting" while it retries; once the
      // room has been connected, both mean the same to the user: offline, reconnecting.
      if (status === 'connected') this.everConnected = true;
      const next = status !== 'connected' && this.everConnected ? 'disconnected' : status;
      if (next === this.status) return;
      this.status = next;
      this.onStatus.fire(next);
    });
    this.provider.on('sync', (synced: boolean) => {
      this.synced = synced;
      this.onStatus.fire(this.status); // "synced" is part of what the status bar shows
      if (synced) {
        this.syncWaiters.forEach((w) => w());
        this.syncWaiters = [];
      }
    });
  }

  setUser(user: PresenceUser): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  get awareness() {
    return this.provider.awareness;
  }

  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  destroy(): void {
    this.onStatus.clear();
    this.provider.destroy();
    this.doc.destroy();
  }
}
