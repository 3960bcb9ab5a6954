/** Connection state, language server state, problems and who is here. */
import type { Participant } from '../collab/participants';
import type { EditorSession } from '../editor/session';

const CONNECTION: Record<string, string> = {
  idle: 'No file open',
  connected: 'Connected',
  connecting: 'Connecting…',
  disconnected: 'Offline — reconnecting',
  closed: 'Closed by the server (read-only)',
};
const LSP: Record<string, string> = {
  connecting: 'Python: connecting…',
  initializing: 'Python: starting…',
  ready: 'Python: ready',
  offline: 'Python: offline — reconnecting',
  unavailable: 'Python: language server unavailable',
};

export function StatusBar({
  session,
  participants,
}: {
  session: EditorSession;
  participants: Participant[];
}) {
  const conn = session.connection();
  const lsp = session.lspState();
  let errors = 0;
  let warnings = 0;
  for (const list of session.diagnostics.values()) {
    for (const d of list) {
      if ((d.severity ?? 1) === 1) errors++;
      else if (d.severity === 2) warnings++;
    }
  }
  const synced = session.current()?.room?.synced ?? false;
  return (
    <footer
      className="statusbar"
      data-connection={conn}
      data-lsp={lsp}
      data-synced={String(synced)}
    >
      <span className={`pill conn-${conn}`}>{CONNECTION[conn]}</span>
      <span className={`pill lsp-${lsp}`}>{LSP[lsp]}</span>
      <span>
        ⊗ {errors} ⚠ {warnings}
      </span>
      {session.readOnly && <span className="pill">Viewer (read-only)</span>}
      <span className="spacer" />
      <span className="here">
        Here: {participants.map((p) => (p.self ? `${p.user.name} (you)` : p.user.name)).join(', ')}
      </span>
    </footer>
  );
}
