/** What the web client tells the language server it can do (LSP `ClientCapabilities`). */
import type * as lsp from 'vscode-languageserver-protocol';

export const clientCapabilities: lsp.ClientCapabilities & {
  textDocument: { inlineCompletion?: { dynamicRegistration: boolean } };
} = {
  general: { positionEncodings: ['utf-16'] },
  workspace: { applyEdit: true, workspaceEdit: { documentChanges: true }, configuration: true },
  window: { showMessage: {}, workDoneProgress: true },
  textDocument: {
    synchronization: { didSave: false, willSave: false, dynamicRegistration: false },
    completion: {
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        labelDetailsSupport: true,
        insertReplaceSupport: true,
        deprecatedSupport: true,
        tagSupport: { valueSet: [1] },
      },
      contextSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: {
      signatureInformation: {
        documentationFormat: ['markdown', 'plaintext'],
        parameterInformation: { labelOffsetSupport: true },
        activeParameterSupport: true,
      },
      contextSupport: true,
    },
    definition: { linkSupport: true },
    references: {},
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    formatting: {},
    rename: { prepareSupport: true },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['', 'quickfix', 'refactor', 'source', 'source.organizeImports'],
        },
      },
      resolveSupport: { properties: ['edit'] },
      dataSupport: true,
    },
    // No `diagnostic` (pull) capability: the server then pushes publishDiagnostics.
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    inlineCompletion: { dynamicRegistration: false },
  },
};
