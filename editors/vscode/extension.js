// The tranche extension's client: starts `tranche lsp` (the binary on PATH, or the
// `tranche.path` setting) for .tranche files. Everything the editor shows about a plan comes
// from the server; this file only connects the two.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate() {
  const config = vscode.workspace.getConfiguration('tranche');
  const command = config.get('path', 'tranche');
  // With the stdio transport the client adds `--stdio`, which `tranche lsp` accepts.
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'tranche',
    'tranche',
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: 'file', language: 'tranche' }],
      initializationOptions: { inlayHints: config.get('inlayHints', true) },
      // Changes to the `tranche.*` settings reach the server as didChangeConfiguration.
      synchronize: { configurationSection: 'tranche' },
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
