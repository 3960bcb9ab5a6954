import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { localUndoManager, normalizeEol } from './text';

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'remote');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), 'remote');
};

describe('normalizeEol', () => {
  test('turns CRLF and CR into LF, once', () => {
    const doc = new Y.Doc();
    const t = doc.getText('content');
    t.insert(0, 'a\r\nb\rc\n');
    expect(normalizeEol(t)).toBe(true);
    expect(t.toString()).toBe('a\nb\nc\n');
    expect(normalizeEol(t)).toBe(false);
  });
});

describe('localUndoManager', () => {
  test("undo reverts only local edits, keeping a peer's text", () => {
    const local = new Y.Doc();
    const peer = new Y.Doc();
    const origin = {};
    const text = local.getText('content');
    const undo = localUndoManager(text, origin);
    local.transact(() => text.insert(0, 'mine '), origin);
    undo.stopCapturing();
    sync(local, peer);
    peer.getText('content').insert(5, 'theirs');
    sync(peer, local);
    expect(text.toString()).toBe('mine theirs');
    undo.undo();
    expect(text.toString()).toBe('theirs');
    undo.redo();
    expect(text.toString()).toBe('mine theirs');
  });

  test('two docs converge after concurrent edits', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('content').insert(0, 'hello');
    sync(a, b);
    a.getText('content').insert(5, ' world');
    b.getText('content').insert(0, '>> ');
    sync(a, b);
    expect(a.getText('content').toString()).toBe(b.getText('content').toString());
    expect(a.getText('content').toString()).toBe('>> hello world');
  });
});
