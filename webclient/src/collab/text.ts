/** Text rules shared by every peer: line endings are LF in the Y.Text, as in every Monaco model. */
import * as Y from 'yjs';

/** An origin for maintenance edits that the user's undo stack must not record. */
export const NORMALIZE_ORIGIN = Symbol('devsync-normalize');

/** Rewrites CR LF and lone CR to LF inside `text`, as one transaction. Returns whether it changed. */
export function normalizeEol(text: Y.Text): boolean {
  const value = text.toString();
  if (!value.includes('\r')) return false;
  text.doc!.transact(() => {
    // Delete from the end so earlier indices stay valid.
    for (let i = value.length - 1; i >= 0; i--) {
      if (value[i] !== '\r') continue;
      if (value[i + 1] === '\n') text.delete(i, 1);
      else {
        text.delete(i, 1);
        text.insert(i, '\n');
      }
    }
  }, NORMALIZE_ORIGIN);
  return true;
}

/** Undo that only reverts this user's own edits (the `origin` of the local binding), never a peer's. */
export function localUndoManager(text: Y.Text, origin: unknown): Y.UndoManager {
  return new Y.UndoManager(text, { trackedOrigins: new Set([origin]), captureTimeout: 400 });
}
