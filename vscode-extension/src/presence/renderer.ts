/**
 * Draws remote cursors and selections as decorations: per participant one
 * selection type (translucent fill) and one caret type (a bar in their colour
 * with their name after it). Zero-width ranges draw no border, so the caret is
 * a `before` attachment.
 */
import * as vscode from 'vscode';
import type { Position, PresenceParams, Range } from '../protocol';
import { type DecorationSpec, PresenceModel } from './model';

interface Types {
  signature: string;
  caret: vscode.TextEditorDecorationType;
  selection: vscode.TextEditorDecorationType;
}

const toPosition = (p: Position): vscode.Position => new vscode.Position(p.line, p.character);
const toRange = (r: Range): vscode.Range => new vscode.Range(toPosition(r.start), toPosition(r.end));

function createTypes(spec: DecorationSpec): Types {
  return {
    signature: `${spec.colour}|${spec.label ?? ''}`,
    selection: vscode.window.createTextEditorDecorationType({
      backgroundColor: spec.selectionColour,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
    caret: vscode.window.createTextEditorDecorationType({
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      before: {
        contentText: '\u200b',
        border: `1px solid ${spec.colour}`,
        margin: '0 -1px 0 0',
      },
      after:
        spec.label === undefined
          ? undefined
          : {
              contentText: spec.label,
              backgroundColor: spec.colour,
              color: spec.labelForeground,
              margin: '0 0 0 2px',
              fontWeight: 'normal',
              textDecoration: 'none; font-size: 0.8em; border-radius: 2px; padding: 0 2px',
            },
    }),
  };
}

export class PresenceRenderer implements vscode.Disposable {
  readonly model = new PresenceModel();
  private readonly types = new Map<string, Types>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the participant key after each presence update. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly showLabels: () => boolean) {
    this.subscriptions = [vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()), this.changed];
  }

  apply(params: PresenceParams): void {
    const key = this.model.update(params);
    if (!this.model.get(key)) this.drop(key);
    this.renderAll();
    this.changed.fire(key);
  }

  /** Keep only these participants (the session's list changed). */
  retain(keys: string[]): void {
    this.model.retain(keys);
    for (const key of [...this.types.keys()]) if (!keys.includes(key)) this.drop(key);
    this.renderAll();
  }

  clear(): void {
    this.model.clear();
    for (const key of [...this.types.keys()]) this.drop(key);
  }

  renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.render(editor);
  }

  private render(editor: vscode.TextEditor): void {
    const specs = this.model.decorationsFor(editor.document.uri.toString(), this.showLabels());
    const drawn = new Set<string>();
    for (const spec of specs) {
      const types = this.typesFor(spec);
      editor.setDecorations(types.selection, spec.selections.map(toRange));
      const caret = spec.caret ? [new vscode.Range(toPosition(spec.caret), toPosition(spec.caret))] : [];
      editor.setDecorations(types.caret, caret);
      drawn.add(spec.key);
    }
    for (const [key, types] of this.types) {
      if (drawn.has(key)) continue;
      editor.setDecorations(types.selection, []);
      editor.setDecorations(types.caret, []);
    }
  }

  private typesFor(spec: DecorationSpec): Types {
    const existing = this.types.get(spec.key);
    const signature = `${spec.colour}|${spec.label ?? ''}`;
    if (existing?.signature === signature) return existing;
    if (existing) this.drop(spec.key);
    const created = createTypes(spec);
    this.types.set(spec.key, created);
    return created;
  }

  private drop(key: string): void {
    const types = this.types.get(key);
    if (!types) return;
    types.caret.dispose();
    types.selection.dispose();
    this.types.delete(key);
  }

  dispose(): void {
    this.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
