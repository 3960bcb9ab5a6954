/**
 * Binds a Room's Y.Text to a Monaco model with y-monaco, plus the fixes DevSync needs: LF line
 * endings, undo/redo through a Yjs UndoManager limited to local edits, and a resync guard.
 */
import { MonacoBinding } from 'y-monaco';
import type * as Y from 'yjs';
import { monaco } from '../editor/monaco';
import type { Room } from './room';
import { localUndoManager, normalizeEol } from './text';
import { throttleSelection } from './throttle';

/** How often this editor's caret may reach the peers (ms); the text itself is never delayed. */
export const CURSOR_INTERVAL_MS = 80;

export interface Binding {
  undo: Y.UndoManager;
  dispose(): void;
}

export function bindModel(
  room: Room,
  model: monaco.editor.ITextModel,
  editor: monaco.editor.IStandaloneCodeEditor,
): Binding {
  model.setEOL(monaco.editor.EndOfLineSequence.LF);
  normalizeEol(room.text);
  const cursor = throttleSelection(room.awareness, CURSOR_INTERVAL_MS);
  const binding = new MonacoBinding(room.text, model, new Set([editor]), cursor.awareness);
  const undo = localUndoManager(room.text, binding);

  // A peer that sends CR characters would make Monaco's (LF) model shorter than the Y.Text and
  // offsets would drift; normalise the shared text and reload the model if that ever happens.
  const guard = (event: Y.YTextEvent) => {
    if (event.transaction.origin === binding) return;
    const inserted = event.delta.some(
      (d) => typeof d.insert === 'string' && d.insert.includes('\r'),
    );
    if (!inserted) return;
    queueMicrotask(() => {
      normalizeEol(room.text);
      const value = room.text.toString();
      if (model.getValue() !== value) binding.mux(() => model.setValue(value));
    });
  };
  room.text.observe(guard);

  return {
    undo,
    dispose() {
      room.text.unobserve(guard);
      cursor.dispose();
      undo.destroy();
      binding.destroy();
    },
  };
}
