#!/usr/bin/env node
// Semantic diagnostics of Microsoft's own KQL analyzer (Kusto.Language, npm package
// @kusto/language-service-next) against a given set of table and function schemas, as an
// oracle for sentinel-lint's column analysis.
//
// SCHEMA_JSON: a file {"tables": {name: "(a:string, b:long)"}, "functions": {name:
// {"parameters": "(p:string = \"\")", "columns": "(a:string)"}}} (a function returns an empty
// table of its result columns).
// Input (stdin): one JSON object per line, {"id": ..., "query": "..."}.
// Output (stdout): one JSON object per line, {"id": ..., "diagnostics": [{"code", "start",
// "length", "message"}], "columns": ["name", ...] or null}.
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const dir = process.env.KUSTO_LANGUAGE_DIR;
if (!dir || !process.env.SCHEMA_JSON) {
  console.error('set KUSTO_LANGUAGE_DIR and SCHEMA_JSON');
  process.exit(2);
}
require(path.join(dir, 'bridge.js'));
require(path.join(dir, 'Kusto.Language.Bridge.js'));
const L = Kusto.Language;
const S = L.Symbols;

const schema = JSON.parse(fs.readFileSync(process.env.SCHEMA_JSON, 'utf8'));
const members = [];
for (const [name, columns] of Object.entries(schema.tables)) {
  members.push(new S.TableSymbol.$ctor7(name, columns));
}
for (const [name, f] of Object.entries(schema.functions)) {
  members.push(new S.FunctionSymbol.$ctor15(name, f.parameters, `{ datatable${f.columns} [] }`));
}
const database = new S.DatabaseSymbol.$ctor1('workspace', members);
const globals = L.GlobalState.Default.WithDatabase(database);

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const { id, query } = JSON.parse(line);
  const code = L.KustoCode.ParseAndAnalyze(query, globals);
  const found = code.GetDiagnostics();
  const diagnostics = [];
  for (let i = 0; i < found.Count; i++) {
    const d = found.getItem(i);
    diagnostics.push({ code: d.Code, severity: d.Severity, start: d.Start, length: d.Length, message: d.Message });
  }
  let columns = null;
  const result = code.ResultType;
  if (result && result.Columns) {
    columns = [];
    for (let i = 0; i < result.Columns.Count; i++) columns.push(result.Columns.getItem(i).Name);
  }
  process.stdout.write(JSON.stringify({ id, diagnostics, columns }) + '\n');
});
