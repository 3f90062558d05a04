// Every plan in the repository's portfolios/ tokenizes with no `invalid.illegal` token: the
// grammar knows everything the example plans write. Uses vscode-textmate and vscode-oniguruma,
// which vscode-tmgrammar-test already brings.
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
const registry = new vsctm.Registry({
  onigLib: oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  })),
  loadGrammar: async () =>
    vsctm.parseRawGrammar(
      fs.readFileSync(path.join(__dirname, '..', 'syntaxes', 'tranche.tmLanguage.json'), 'utf8'),
      'tranche.tmLanguage.json',
    ),
});

function plans(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) plans(full, found);
    else if (entry.name.endsWith('.tranche')) found.push(full);
  }
  return found;
}

registry.loadGrammar('source.tranche').then((grammar) => {
  const root = path.join(__dirname, '..', '..', '..', 'portfolios');
  let problems = 0;
  let files = 0;
  for (const file of plans(root).sort()) {
    files += 1;
    let state = vsctm.INITIAL;
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        if (token.scopes.some((s) => s.startsWith('invalid'))) {
          problems += 1;
          console.error(`${file}:${i + 1}:${token.startIndex + 1}: not tokenized: ${JSON.stringify(line.slice(token.startIndex, token.endIndex))}`);
        }
      }
      state = result.ruleStack;
    });
  }
  if (files === 0) {
    console.error(`no plans found under ${root}`);
    process.exit(1);
  }
  console.log(`${files} plans tokenized, ${problems} tokens not recognised`);
  process.exit(problems === 0 ? 0 : 1);
});
