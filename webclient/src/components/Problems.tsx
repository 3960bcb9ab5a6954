/** The problems list: every diagnostic the language server published, click to jump there. */
import type { EditorSession } from '../editor/session';

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

export function Problems({
  session,
  onJump,
}: {
  session: EditorSession;
  onJump: (uri: string, line: number, col: number) => void;
}) {
  const rows = [...session.diagnostics.entries()].flatMap(([uri, list]) =>
    list.map((d) => ({ uri, d })),
  );
  return (
    <div className="problems" aria-label="Problems">
      {rows.length === 0 ? (
        <div className="muted">No problems.</div>
      ) : (
        rows.map(({ uri, d }, i) => (
          <div
            key={i}
            className={`problem ${SEVERITY[d.severity ?? 1]}`}
            onClick={() => onJump(uri, d.range.start.line + 1, d.range.start.character + 1)}
          >
            <span className="sev">{SEVERITY[d.severity ?? 1]}</span> {d.message}{' '}
            <span className="muted">
              {uri.replace(/^devsync:\/\/\//, '')}:{d.range.start.line + 1}:
              {d.range.start.character + 1}
            </span>
          </div>
        ))
      )}
    </div>
  );
}
