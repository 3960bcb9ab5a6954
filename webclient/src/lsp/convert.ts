/**
 * Pure mapping between LSP (0-based lines/characters, enums from 1) and Monaco (1-based, its own
 * enums). No Monaco runtime import here, so Vitest can test it without a DOM.
 */
import type { editor, IMarkdownString, IRange, languages } from 'monaco-editor/editor/editor.api';
import type * as lsp from 'vscode-languageserver-protocol';

export interface MonacoPosition {
  lineNumber: number;
  column: number;
}

/**
 * Monaco prints `devsync:///a.py` as `devsync:/a.py` (an empty authority drops the `//`); the
 * server expects the triple-slash form of ARCHITECTURE.md section 4.
 */
export function toLspUri(uri: { toString(): string }): string {
  return uri.toString().replace(/^([a-z][a-z0-9+.-]*):\/(?!\/)/i, '$1:///');
}

export const toLspPosition = (p: MonacoPosition): lsp.Position => ({
  line: p.lineNumber - 1,
  character: p.column - 1,
});

export const toMonacoRange = (r: lsp.Range): IRange => ({
  startLineNumber: r.start.line + 1,
  startColumn: r.start.character + 1,
  endLineNumber: r.end.line + 1,
  endColumn: r.end.character + 1,
});

export const toLspRange = (r: IRange): lsp.Range => ({
  start: { line: r.startLineNumber - 1, character: r.startColumn - 1 },
  end: { line: r.endLineNumber - 1, character: r.endColumn - 1 },
});

// LSP CompletionItemKind (1..25) -> Monaco languages.CompletionItemKind.
const COMPLETION_KIND: Record<number, number> = {
  1: 18, // Text
  2: 0, // Method
  3: 1, // Function
  4: 2, // Constructor
  5: 3, // Field
  6: 4, // Variable
  7: 5, // Class
  8: 7, // Interface
  9: 8, // Module
  10: 9, // Property
  11: 12, // Unit
  12: 13, // Value
  13: 15, // Enum
  14: 17, // Keyword
  15: 28, // Snippet
  16: 19, // Color
  17: 20, // File
  18: 21, // Reference
  19: 23, // Folder
  20: 16, // EnumMember
  21: 14, // Constant
  22: 6, // Struct
  23: 10, // Event
  24: 11, // Operator
  25: 24, // TypeParameter
};

export const toCompletionKind = (kind: number | undefined): languages.CompletionItemKind =>
  (COMPLETION_KIND[kind ?? 1] ?? 18) as languages.CompletionItemKind;

/** LSP SymbolKind starts at File = 1, Monaco's at File = 0. */
export const toSymbolKind = (kind: number): languages.SymbolKind =>
  Math.max(0, kind - 1) as languages.SymbolKind;

export function toMarkdown(
  content: lsp.MarkupContent | lsp.MarkedString | lsp.MarkedString[] | string | undefined | null,
): IMarkdownString[] {
  if (content == null) return [];
  if (Array.isArray(content)) return content.flatMap((c) => toMarkdown(c));
  if (typeof content === 'string') return content ? [{ value: content }] : [];
  if ('kind' in content) {
    if (!content.value) return [];
    return [{ value: content.kind === 'markdown' ? content.value : codeBlock('', content.value) }];
  }
  return [{ value: codeBlock(content.language, content.value) }];
}

const codeBlock = (language: string, value: string) => '```' + language + '\n' + value + '\n```';

export function toDocumentation(
  doc: string | lsp.MarkupContent | undefined,
): string | IMarkdownString | undefined {
  if (doc === undefined) return undefined;
  if (typeof doc === 'string') return doc;
  return doc.kind === 'markdown' ? { value: doc.value } : doc.value;
}

/**
 * A completion item for Monaco. `defaultRange` is the word range at the position; it is used when
 * the item has no textEdit. The LSP item itself is kept on `lspItem` for completionItem/resolve.
 */
export type MonacoCompletion = languages.CompletionItem & { lspItem: lsp.CompletionItem };

export function toCompletionItem(item: lsp.CompletionItem, defaultRange: IRange): MonacoCompletion {
  let range: languages.CompletionItem['range'] = defaultRange;
  let insertText = item.insertText ?? item.label;
  const edit = item.textEdit;
  if (edit) {
    insertText = edit.newText;
    range =
      'range' in edit
        ? toMonacoRange(edit.range)
        : { insert: toMonacoRange(edit.insert), replace: toMonacoRange(edit.replace) };
  }
  return {
    label: item.labelDetails
      ? {
          label: item.label,
          detail: item.labelDetails.detail,
          description: item.labelDetails.description,
        }
      : item.label,
    kind: toCompletionKind(item.kind),
    detail: item.detail,
    documentation: toDocumentation(item.documentation),
    sortText: item.sortText,
    filterText: item.filterText,
    preselect: item.preselect,
    insertText,
    insertTextRules:
      item.insertTextFormat === 2 ? (4 as languages.CompletionItemInsertTextRule) : undefined,
    range,
    tags:
      item.deprecated || item.tags?.includes(1) ? [1 as languages.CompletionItemTag] : undefined,
    additionalTextEdits: item.additionalTextEdits?.map(toTextEdit),
    commitCharacters: item.commitCharacters,
    lspItem: item,
  };
}

export const toTextEdit = (e: lsp.TextEdit): languages.TextEdit => ({
  range: toMonacoRange(e.range),
  text: e.newText,
});

// LSP DiagnosticSeverity (Error=1..Hint=4) -> Monaco MarkerSeverity (Hint=1, Info=2, Warning=4, Error=8).
const SEVERITY: Record<number, number> = { 1: 8, 2: 4, 3: 2, 4: 1 };

export function toMarker(d: lsp.Diagnostic): editor.IMarkerData {
  const tags: number[] = [];
  if (d.tags?.includes(1)) tags.push(1);
  if (d.tags?.includes(2)) tags.push(2);
  return {
    ...toMonacoRange(d.range),
    severity: (SEVERITY[d.severity ?? 1] ?? 8) as editor.IMarkerData['severity'],
    message: d.message,
    source: d.source,
    code: d.code === undefined ? undefined : String(d.code),
    tags: tags.length ? (tags as editor.IMarkerData['tags']) : undefined,
  };
}

/** Back from a Monaco marker to the LSP diagnostic it came from (for code action context). */
export function toDiagnostic(m: editor.IMarkerData): lsp.Diagnostic {
  const severity = ({ 8: 1, 4: 2, 2: 3, 1: 4 } as Record<number, lsp.DiagnosticSeverity>)[
    m.severity
  ];
  return {
    range: toLspRange(m),
    message: m.message,
    severity,
    source: m.source,
    code: typeof m.code === 'string' ? m.code : m.code?.value,
  };
}

export type AnyLocation = lsp.Location | lsp.LocationLink;

export function toLocation(l: AnyLocation): languages.Location & { uriString: string } {
  if ('targetUri' in l) {
    return {
      uri: undefined as never,
      uriString: l.targetUri,
      range: toMonacoRange(l.targetSelectionRange ?? l.targetRange),
    };
  }
  return { uri: undefined as never, uriString: l.uri, range: toMonacoRange(l.range) };
}

export function asLocations(result: AnyLocation | AnyLocation[] | null | undefined): AnyLocation[] {
  if (!result) return [];
  return Array.isArray(result) ? result : [result];
}

export function toDocumentSymbols(
  symbols: (lsp.DocumentSymbol | lsp.SymbolInformation)[] | null | undefined,
): languages.DocumentSymbol[] {
  if (!symbols) return [];
  return symbols.map((s): languages.DocumentSymbol => {
    if ('location' in s) {
      const range = toMonacoRange(s.location.range);
      return {
        name: s.name,
        detail: '',
        kind: toSymbolKind(s.kind),
        tags: [],
        containerName: s.containerName,
        range,
        selectionRange: range,
      };
    }
    return {
      name: s.name,
      detail: s.detail ?? '',
      kind: toSymbolKind(s.kind),
      tags: [],
      range: toMonacoRange(s.range),
      selectionRange: toMonacoRange(s.selectionRange),
      children: toDocumentSymbols(s.children),
    };
  });
}

export function toSignatureHelp(help: lsp.SignatureHelp): languages.SignatureHelp {
  return {
    activeSignature: help.activeSignature ?? 0,
    activeParameter: help.activeParameter ?? 0,
    signatures: help.signatures.map((s) => ({
      label: s.label,
      documentation: toDocumentation(s.documentation),
      parameters: (s.parameters ?? []).map((p) => ({
        label: p.label,
        documentation: toDocumentation(p.documentation),
      })),
      activeParameter: s.activeParameter ?? undefined,
    })),
  };
}

/** Groups a WorkspaceEdit's text edits by document URI (both `changes` and `documentChanges`). */
export function workspaceEditByUri(edit: lsp.WorkspaceEdit): Map<string, lsp.TextEdit[]> {
  const out = new Map<string, lsp.TextEdit[]>();
  const add = (uri: string, edits: lsp.TextEdit[]) =>
    out.set(uri, [...(out.get(uri) ?? []), ...edits]);
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) add(uri, edits);
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) add(change.textDocument.uri, change.edits as lsp.TextEdit[]);
  }
  return out;
}

/** LSP 3.18 inline completion (not in vscode-languageserver-protocol 3.17). */
export interface InlineCompletionItem {
  insertText: string | { kind: 'snippet'; value: string };
  filterText?: string;
  range?: lsp.Range;
  command?: lsp.Command;
}
export interface InlineCompletionList {
  items: InlineCompletionItem[];
}

export function toInlineCompletions(
  result: InlineCompletionList | InlineCompletionItem[] | null | undefined,
): languages.InlineCompletion[] {
  if (!result) return [];
  const items = Array.isArray(result) ? result : result.items;
  return items
    .map((i): languages.InlineCompletion => ({
      insertText: typeof i.insertText === 'string' ? i.insertText : { snippet: i.insertText.value },
      range: i.range ? toMonacoRange(i.range) : undefined,
    }))
    .filter((i) => i.insertText !== '');
}
