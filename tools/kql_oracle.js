#!/usr/bin/env node
// Syntax diagnostics of Microsoft's own KQL parser (Kusto.Language, npm package
// @kusto/language-service-next), as an oracle for sentinel-lint's tests.
//
// Input (stdin): one JSON object per line, {"id": ..., "query": "..."}.
// Output (stdout): one JSON object per line, {"id": ..., "errors": [{"start", "length", "message"}]}.
// KUSTO_LANGUAGE_DIR is the folder of the installed package.
const path = require('path');
const readline = require('readline');

const dir = process.env.KUSTO_LANGUAGE_DIR;
if (!dir) {
  console.error('set KUSTO_LANGUAGE_DIR to the folder of @kusto/language-service-next');
  process.exit(2);
}
require(path.join(dir, 'bridge.js'));
require(path.join(dir, 'Kusto.Language.Bridge.js'));
const KustoCode = Kusto.Language.KustoCode;

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const { id, query } = JSON.parse(line);
  const diagnostics = KustoCode.Parse(query).GetSyntaxDiagnostics();
  const errors = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    errors.push({ start: d.Start, length: d.Length, message: d.Message });
  }
  process.stdout.write(JSON.stringify({ id, errors }) + '\n');
});
