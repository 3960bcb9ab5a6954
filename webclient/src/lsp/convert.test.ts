import { describe, expect, test } from 'vitest';
import type * as lsp from 'vscode-languageserver-protocol';
import {
  asLocations,
  toCompletionItem,
  toCompletionKind,
  toDiagnostic,
  toDocumentSymbols,
  toInlineCompletions,
  toLocation,
  toLspPosition,
  toLspUri,
  toMarker,
  toMarkdown,
  toMonacoRange,
  toSignatureHelp,
  toSymbolKind,
  workspaceEditByUri,
} from './convert';

const range = (l1: number, c1: number, l2: number, c2: number): lsp.Range => ({
  start: { line: l1, character: c1 },
  end: { line: l2, character: c2 },
});

describe('positions and ranges', () => {
  test('LSP is 0-based, Monaco 1-based', () => {
    expect(toLspPosition({ lineNumber: 1, column: 1 })).toEqual({ line: 0, character: 0 });
    expect(toMonacoRange(range(2, 4, 3, 0))).toEqual({
      startLineNumber: 3,
      startColumn: 5,
      endLineNumber: 4,
      endColumn: 1,
    });
  });
  test('URIs get the triple slash the server expects', () => {
    expect(toLspUri({ toString: () => 'devsync:/pkg/a.py' })).toBe('devsync:///pkg/a.py');
    expect(toLspUri({ toString: () => 'devsync-lib:/os.py' })).toBe('devsync-lib:///os.py');
    expect(toLspUri({ toString: () => 'devsync:///a.py' })).toBe('devsync:///a.py');
  });
});

describe('completion', () => {
  const wordRange = { startLineNumber: 1, startColumn: 4, endLineNumber: 1, endColumn: 8 };
  test('kinds map by name, not number', () => {
    expect(toCompletionKind(2)).toBe(0); // Method
    expect(toCompletionKind(3)).toBe(1); // Function
    expect(toCompletionKind(9)).toBe(8); // Module
    expect(toCompletionKind(14)).toBe(17); // Keyword
    expect(toCompletionKind(undefined)).toBe(18); // Text
  });
  test('snippet insert text and the default range', () => {
    const item = toCompletionItem(
      { label: 'abort', kind: 3, insertText: 'abort($1)$0', insertTextFormat: 2, data: { t: 1 } },
      wordRange,
    );
    expect(item.insertText).toBe('abort($1)$0');
    expect(item.insertTextRules).toBe(4);
    expect(item.range).toEqual(wordRange);
    expect(item.lspItem.data).toEqual({ t: 1 });
  });
  test('textEdit wins over insertText; insert/replace edits', () => {
    const a = toCompletionItem(
      { label: 'getcwd', textEdit: { range: range(0, 3, 0, 5), newText: 'getcwd' } },
      wordRange,
    );
    expect(a.insertText).toBe('getcwd');
    expect(a.range).toEqual(toMonacoRange(range(0, 3, 0, 5)));
    const b = toCompletionItem(
      {
        label: 'x',
        textEdit: { insert: range(0, 1, 0, 2), replace: range(0, 1, 0, 4), newText: 'x' },
      },
      wordRange,
    );
    expect(b.range).toEqual({
      insert: toMonacoRange(range(0, 1, 0, 2)),
      replace: toMonacoRange(range(0, 1, 0, 4)),
    });
  });
  test('documentation and deprecation', () => {
    const item = toCompletionItem(
      { label: 'f', documentation: { kind: 'markdown', value: '**doc**' }, tags: [1] },
      wordRange,
    );
    expect(item.documentation).toEqual({ value: '**doc**' });
    expect(item.tags).toEqual([1]);
  });
});

describe('diagnostics', () => {
  test('severity and tags map both ways', () => {
    const d: lsp.Diagnostic = {
      range: range(4, 6, 4, 15),
      message: "undefined name 'x'",
      severity: 1,
      source: 'devsync',
      code: 'F821',
      tags: [1],
    };
    const m = toMarker(d);
    expect(m).toMatchObject({
      startLineNumber: 5,
      startColumn: 7,
      severity: 8,
      code: 'F821',
      tags: [1],
    });
    expect(toMarker({ ...d, severity: 2 }).severity).toBe(4);
    expect(toMarker({ ...d, severity: 4 }).severity).toBe(1);
    expect(toDiagnostic(m)).toMatchObject({ range: d.range, severity: 1, message: d.message });
  });
});

describe('hover, signatures, symbols, locations, edits', () => {
  test('hover contents in every LSP shape', () => {
    expect(toMarkdown({ kind: 'markdown', value: '# x' })).toEqual([{ value: '# x' }]);
    expect(toMarkdown({ kind: 'plaintext', value: 'x' })).toEqual([{ value: '```\nx\n```' }]);
    expect(toMarkdown({ language: 'python', value: 'def f()' })).toEqual([
      { value: '```python\ndef f()\n```' },
    ]);
    expect(toMarkdown(['a', ''])).toEqual([{ value: 'a' }]);
    expect(toMarkdown(null)).toEqual([]);
  });
  test('signature help keeps active parameter', () => {
    const s = toSignatureHelp({
      signatures: [{ label: 'f(a, b)', parameters: [{ label: 'a' }, { label: [5, 6] }] }],
      activeSignature: 0,
      activeParameter: 1,
    });
    expect(s.activeParameter).toBe(1);
    expect(s.signatures[0]?.parameters[1]?.label).toEqual([5, 6]);
  });
  test('symbol kinds shift by one; hierarchy kept', () => {
    expect(toSymbolKind(1)).toBe(0); // File
    expect(toSymbolKind(12)).toBe(11); // Function
    const syms = toDocumentSymbols([
      {
        name: 'C',
        kind: 5,
        range: range(0, 0, 3, 0),
        selectionRange: range(0, 6, 0, 7),
        children: [
          { name: 'm', kind: 6, range: range(1, 4, 2, 0), selectionRange: range(1, 8, 1, 9) },
        ],
      },
    ]);
    expect(syms[0]?.kind).toBe(4);
    expect(syms[0]?.children?.[0]?.name).toBe('m');
  });
  test('locations and location links', () => {
    expect(asLocations(null)).toEqual([]);
    const link = toLocation({
      targetUri: 'devsync-lib:///os.py',
      targetRange: range(0, 0, 9, 0),
      targetSelectionRange: range(3, 4, 3, 10),
    });
    expect(link.uriString).toBe('devsync-lib:///os.py');
    expect(link.range.startLineNumber).toBe(4);
  });
  test('workspace edits from changes and documentChanges', () => {
    const edits = workspaceEditByUri({
      changes: { 'devsync:///a.py': [{ range: range(0, 0, 0, 1), newText: 'b' }] },
      documentChanges: [
        {
          textDocument: { uri: 'devsync:///a.py', version: 3 },
          edits: [{ range: range(1, 0, 1, 1), newText: 'c' }],
        },
      ],
    });
    expect(edits.get('devsync:///a.py')?.map((e) => e.newText)).toEqual(['b', 'c']);
  });
  test('inline completions', () => {
    expect(
      toInlineCompletions({
        items: [{ insertText: 'return 1', range: range(1, 4, 1, 4) }, { insertText: '' }],
      }),
    ).toEqual([{ insertText: 'return 1', range: toMonacoRange(range(1, 4, 1, 4)) }]);
    expect(
      toInlineCompletions([{ insertText: { kind: 'snippet', value: 'x$0' } }])[0]?.insertText,
    ).toEqual({ snippet: 'x$0' });
    expect(toInlineCompletions(null)).toEqual([]);
  });
});
