/** Avatars of the people in the project's open documents; click one to follow them. */
import type { Participant } from '../collab/participants';

export function Presence({
  participants,
  following,
  onFollow,
}: {
  participants: Participant[];
  following: string | null;
  onFollow: (sid: string | null) => void;
}) {
  return (
    <div className="presence" aria-label="Who is here">
      {participants.map((p) => (
        <button
          key={p.sid}
          className={`avatar ${following === p.sid ? 'following' : ''}`}
          style={{ background: p.user.color }}
          title={
            p.self
              ? `${p.user.name} (you)`
              : following === p.sid
                ? `Stop following ${p.user.name}`
                : `Follow ${p.user.name}${p.activeFile ? ` (${p.activeFile})` : ''}`
          }
          disabled={p.self}
          onClick={() => onFollow(following === p.sid ? null : p.sid)}
        >
          {p.user.name.slice(0, 1).toUpperCase()}
        </button>
      ))}
    </div>
  );
}
