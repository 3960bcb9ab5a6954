/**
 * Registers Monaco language providers for Python that forward to the current LspClient:
 * completion (+resolve), hover, signature help, definition, references, rename, outline,
 * formatting, code actions and inline (AI) completions. Registered once; the client can change.
 */
import type * as lsp from 'vscode-languageserver-protocol';
import type { monaco as Monaco } from '../editor/monaco';
import type { LspClient } from './client';
import {
  asLocations,
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbols,
  toLspUri,
  toInlineCompletions,
  toLocation,
  toLspPosition,
  toLspRange,
  toMarkdown,
  toMonacoRange,
  toSignatureHelp,
  toTextEdit,
  workspaceEditByUri,
  type AnyLocation,
  type InlineCompletionList,
  type MonacoCompletion,
} from './convert';

type M = typeof Monaco;
type Model = Monaco.editor.ITextModel;

export interface ProviderHost {
  client(): LspClient | null;
  /** Creates models for locations outside the open files (library or unopened project files). */
  ensureModel(uri: string): Promise<Model | null>;
}

const LANG = 'python';

export function registerProviders(monaco: M, host: ProviderHost): { dispose(): void } {
  const L = monaco.languages;
  const doc = (model: Model) => ({ uri: toLspUri(model.uri) });
  const ready = (model: Model) => {
    const c = host.client();
    return c && c.isOpen(toLspUri(model.uri)) ? c : null;
  };

  const toMonacoLocations = async (result: AnyLocation | AnyLocation[] | null) => {
    const out: Monaco.languages.Location[] = [];
    for (const loc of asLocations(result).map(toLocation)) {
      const model = await host.ensureModel(loc.uriString);
      if (model) out.push({ uri: model.uri, range: loc.range });
    }
    return out;
  };

  const applyWorkspaceEdit = (edit: lsp.WorkspaceEdit): Monaco.languages.WorkspaceEdit => {
    const edits: Monaco.languages.IWorkspaceTextEdit[] = [];
    for (const [uri, textEdits] of workspaceEditByUri(edit)) {
      const model = monaco.editor.getModel(monaco.Uri.parse(uri));
      if (!model) continue;
      for (const e of textEdits) {
        edits.push({ resource: model.uri, textEdit: toTextEdit(e), versionId: undefined });
      }
    }
    return { edits };
  };

  const disposables = [
    L.registerCompletionItemProvider(LANG, {
      triggerCharacters: ['.', '(', '[', ',', ' ', '"', "'"],
      async provideCompletionItems(model, position, context, token) {
        const c = ready(model);
        if (!c) return { suggestions: [] };
        const result = await c.request<lsp.CompletionList | lsp.CompletionItem[]>(
          'textDocument/completion',
          {
            textDocument: doc(model),
            position: toLspPosition(position),
            context: {
              triggerKind: context.triggerKind + 1,
              triggerCharacter: context.triggerCharacter,
            },
          },
          token,
        );
        if (!result) return { suggestions: [] };
        const word = model.getWordUntilPosition(position);
        const range = {
          startLineNumber: position.lineNumber,
          endLineNumber: position.lineNumber,
          startColumn: word.startColumn,
          endColumn: word.endColumn,
        };
        const items = Array.isArray(result) ? result : result.items;
        return {
          suggestions: items.map((i) => toCompletionItem(i, range)),
          incomplete: !Array.isArray(result) && result.isIncomplete,
        };
      },
      async resolveCompletionItem(item, token) {
        const c = host.client();
        const lspItem = (item as MonacoCompletion).lspItem;
        if (!c || !lspItem || !c.capabilities.completionProvider?.resolveProvider) return item;
        const resolved = await c.request<lsp.CompletionItem>(
          'completionItem/resolve',
          lspItem,
          token,
        );
        if (!resolved) return item;
        const mapped = toCompletionItem(resolved, item.range as Monaco.IRange);
        return {
          ...item,
          detail: mapped.detail ?? item.detail,
          documentation: mapped.documentation ?? item.documentation,
          additionalTextEdits: mapped.additionalTextEdits ?? item.additionalTextEdits,
        };
      },
    }),

    L.registerHoverProvider(LANG, {
      async provideHover(model, position, token) {
        const c = ready(model);
        const hover = await c?.request<lsp.Hover>(
          'textDocument/hover',
          { textDocument: doc(model), position: toLspPosition(position) },
          token,
        );
        if (!hover) return null;
        return {
          contents: toMarkdown(hover.contents),
          range: hover.range ? toMonacoRange(hover.range) : undefined,
        };
      },
    }),

    L.registerSignatureHelpProvider(LANG, {
      signatureHelpTriggerCharacters: ['(', ','],
      signatureHelpRetriggerCharacters: [')'],
      async provideSignatureHelp(model, position, token, context) {
        const c = ready(model);
        const help = await c?.request<lsp.SignatureHelp>(
          'textDocument/signatureHelp',
          {
            textDocument: doc(model),
            position: toLspPosition(position),
            context: {
              triggerKind: context.triggerKind,
              triggerCharacter: context.triggerCharacter,
              isRetrigger: context.isRetrigger,
            },
          },
          token,
        );
        if (!help || help.signatures.length === 0) return null;
        return { value: toSignatureHelp(help), dispose: () => undefined };
      },
    }),

    L.registerDefinitionProvider(LANG, {
      async provideDefinition(model, position, token) {
        const c = ready(model);
        const result = await c?.request<AnyLocation | AnyLocation[]>(
          'textDocument/definition',
          { textDocument: doc(model), position: toLspPosition(position) },
          token,
        );
        return toMonacoLocations(result ?? null);
      },
    }),

    L.registerReferenceProvider(LANG, {
      async provideReferences(model, position, context, token) {
        const c = ready(model);
        const result = await c?.request<lsp.Location[]>(
          'textDocument/references',
          { textDocument: doc(model), position: toLspPosition(position), context },
          token,
        );
        return toMonacoLocations(result ?? null);
      },
    }),

    L.registerRenameProvider(LANG, {
      async provideRenameEdits(model, position, newName, token) {
        const c = ready(model);
        const edit = await c?.request<lsp.WorkspaceEdit>(
          'textDocument/rename',
          { textDocument: doc(model), position: toLspPosition(position), newName },
          token,
        );
        if (!edit) return { edits: [], rejectReason: 'rename is not available here' };
        return applyWorkspaceEdit(edit);
      },
      async resolveRenameLocation(model, position, token) {
        const c = ready(model);
        if (!c)
          return {
            range: new monaco.Range(1, 1, 1, 1),
            text: '',
            rejectReason: 'language server offline',
          };
        const word = model.getWordAtPosition(position);
        const fallback = word
          ? {
              range: new monaco.Range(
                position.lineNumber,
                word.startColumn,
                position.lineNumber,
                word.endColumn,
              ),
              text: word.word,
            }
          : null;
        const prov = c.capabilities.renameProvider;
        if (!(typeof prov === 'object' && prov.prepareProvider)) {
          return (
            fallback ?? {
              range: new monaco.Range(1, 1, 1, 1),
              text: '',
              rejectReason: 'nothing to rename',
            }
          );
        }
        const r = await c.request<lsp.PrepareRenameResult>(
          'textDocument/prepareRename',
          { textDocument: doc(model), position: toLspPosition(position) },
          token,
        );
        if (!r)
          return {
            range: new monaco.Range(1, 1, 1, 1),
            text: '',
            rejectReason: 'this cannot be renamed',
          };
        if ('range' in r) return { range: toMonacoRange(r.range), text: r.placeholder };
        if ('start' in r)
          return { range: toMonacoRange(r), text: model.getValueInRange(toMonacoRange(r)) };
        return fallback ?? { range: new monaco.Range(1, 1, 1, 1), text: '' };
      },
    }),

    L.registerDocumentSymbolProvider(LANG, {
      displayName: 'DevSync',
      async provideDocumentSymbols(model, token) {
        const c = ready(model);
        const result = await c?.request<(lsp.DocumentSymbol | lsp.SymbolInformation)[]>(
          'textDocument/documentSymbol',
          { textDocument: doc(model) },
          token,
        );
        return toDocumentSymbols(result);
      },
    }),

    L.registerDocumentFormattingEditProvider(LANG, {
      displayName: 'DevSync (ruff)',
      async provideDocumentFormattingEdits(model, options, token) {
        const c = ready(model);
        const edits = await c?.request<lsp.TextEdit[]>(
          'textDocument/formatting',
          {
            textDocument: doc(model),
            options: { tabSize: options.tabSize, insertSpaces: options.insertSpaces },
          },
          token,
        );
        return (edits ?? []).map(toTextEdit);
      },
    }),

    L.registerCodeActionProvider(
      LANG,
      {
        async provideCodeActions(model, range, context, token) {
          const c = ready(model);
          const result = await c?.request<(lsp.CodeAction | lsp.Command)[]>(
            'textDocument/codeAction',
            {
              textDocument: doc(model),
              range: toLspRange(range),
              context: {
                diagnostics: context.markers.map(toDiagnostic),
                only: context.only ? [context.only] : undefined,
                triggerKind: context.trigger,
              },
            },
            token,
          );
          const actions: Monaco.languages.CodeAction[] = (result ?? []).map((a) => {
            if (typeof (a as lsp.Command).command === 'string') {
              const cmd = a as lsp.Command;
              return {
                title: cmd.title,
                command: { id: EXECUTE, title: cmd.title, arguments: [cmd] },
              };
            }
            const action = a as lsp.CodeAction;
            return {
              title: action.title,
              kind: action.kind,
              isPreferred: action.isPreferred,
              diagnostics: action.diagnostics?.map((d) => ({
                ...toMonacoRange(d.range),
                message: d.message,
                severity: 8,
              })),
              edit: action.edit ? applyWorkspaceEdit(action.edit) : undefined,
              command: action.command
                ? { id: EXECUTE, title: action.command.title, arguments: [action.command] }
                : undefined,
            };
          });
          return { actions, dispose: () => undefined };
        },
      },
      CODE_ACTION_METADATA,
    ),

    L.registerInlineCompletionsProvider(LANG, {
      async provideInlineCompletions(model, position, context, token) {
        const c = ready(model);
        if (!c || !c.capabilities.inlineCompletionProvider) return { items: [] };
        // Monaco asks on every keystroke and cancels the previous request; wait for a pause in
        // typing first, so a fast typist does not send the server (which also hosts the
        // collaboration rooms) one model request per key.
        if (context.triggerKind === 0 && !(await pause(INLINE_DEBOUNCE_MS, token)))
          return { items: [] };
        const result = await c.request<InlineCompletionList>(
          'textDocument/inlineCompletion',
          {
            textDocument: doc(model),
            position: toLspPosition(position),
            context: {
              triggerKind: context.triggerKind === 0 ? 2 : 1,
              selectedCompletionInfo: context.selectedSuggestionInfo
                ? {
                    range: toLspRange(context.selectedSuggestionInfo.range),
                    text: context.selectedSuggestionInfo.text,
                  }
                : undefined,
            },
          },
          token,
        );
        return { items: toInlineCompletions(result) };
      },
      disposeInlineCompletions: () => undefined,
    }),

    monaco.editor.registerCommand(EXECUTE, (_accessor, command: lsp.Command) => {
      void host.client()?.request('workspace/executeCommand', {
        command: command.command,
        arguments: command.arguments,
      });
    }),
  ];

  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}

const EXECUTE = 'devsync.web.executeServerCommand';

/** Automatic inline (AI) completions wait for this much quiet after a keystroke. */
export const INLINE_DEBOUNCE_MS = 150;

/** Resolves true after `ms`, or false as soon as `token` is cancelled. */
export function pause(
  ms: number,
  token: { isCancellationRequested: boolean; onCancellationRequested(l: () => void): unknown },
): Promise<boolean> {
  if (token.isCancellationRequested) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(!token.isCancellationRequested), ms);
    token.onCancellationRequested(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * The kinds the server's code actions have. Monaco enables "Organize Imports" (Shift+Alt+O) and
 * "Source Action..." only for providers that declare them.
 */
const CODE_ACTION_METADATA = {
  providedCodeActionKinds: ['quickfix', 'refactor', 'source', 'source.organizeImports'],
};
