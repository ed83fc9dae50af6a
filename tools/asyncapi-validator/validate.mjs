// Validate AsyncAPI documents with the official AsyncAPI parser.
//
// Usage: node validate.mjs FILE... [--strict]
//
// Prints every diagnostic the parser reports (schema validation and the
// AsyncAPI ruleset). Exits 1 when one has severity "error" (or, with
// --strict, "warning"), 2 on a usage error, 0 when every document is valid.

import { DiagnosticSeverity, Parser, fromFile } from "@asyncapi/parser";

const SEVERITY_NAMES = {
  [DiagnosticSeverity.Error]: "error",
  [DiagnosticSeverity.Warning]: "warning",
  [DiagnosticSeverity.Information]: "info",
  [DiagnosticSeverity.Hint]: "hint",
};

function describe(file, diagnostic) {
  const severity = SEVERITY_NAMES[diagnostic.severity] ?? String(diagnostic.severity);
  const where = diagnostic.path?.length ? diagnostic.path.join("/") : "(root)";
  return `${file}: ${severity}: ${where}: ${diagnostic.message} [${diagnostic.code}]`;
}

async function validate(parser, file, failAt) {
  const { document, diagnostics } = await fromFile(parser, file).parse();
  for (const diagnostic of diagnostics) {
    const line = describe(file, diagnostic);
    if (diagnostic.severity <= failAt) console.error(line);
    else console.log(line);
  }
  const failures = diagnostics.filter((diagnostic) => diagnostic.severity <= failAt).length;
  if (document === undefined || failures > 0) {
    console.error(`${file}: invalid AsyncAPI document (${failures} problem(s))`);
    return false;
  }
  console.log(`${file}: valid AsyncAPI ${document.version()} document`);
  return true;
}

async function main(argv) {
  const strict = argv.includes("--strict");
  const files = argv.filter((arg) => !arg.startsWith("--"));
  if (files.length === 0) {
    console.error("usage: node validate.mjs FILE... [--strict]");
    return 2;
  }
  const failAt = strict ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
  const parser = new Parser();
  let valid = true;
  for (const file of files) {
    valid = (await validate(parser, file, failAt)) && valid;
  }
  return valid ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error?.stack ?? String(error));
    process.exit(2);
  },
);
