/** A Monaco diff editor between two texts (a commit and its parent, or a commit and the working copy). */
import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco';
import { languageOf } from '../editor/session';

export function DiffView({
  path,
  original,
  modified,
  title,
  onClose,
}: {
  path: string;
  original: string;
  modified: string;
  title: string;
  onClose: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const lang = languageOf(path);
    const left = monaco.editor.createModel(original, lang);
    const right = monaco.editor.createModel(modified, lang);
    const diff = monaco.editor.createDiffEditor(host.current, {
      readOnly: true,
      automaticLayout: true,
      renderSideBySide: true,
      theme: 'vs-dark',
      minimap: { enabled: false },
    });
    diff.setModel({ original: left, modified: right });
    return () => {
      diff.dispose();
      left.dispose();
      right.dispose();
    };
  }, [path, original, modified]);
  return (
    <div className="overlay" role="dialog" aria-label="Diff">
      <div className="diff-panel">
        <div className="row">
          <strong>{title}</strong>
          <span className="spacer" />
          <button onClick={onClose}>Close</button>
        </div>
        <div className="diff-host" ref={host} data-testid="diff-editor" />
      </div>
    </div>
  );
}
