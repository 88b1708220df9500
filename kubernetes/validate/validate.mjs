// Validates Kubernetes manifests offline against the API schemas that the npm package kubernetes-models carries
// (generated from Kubernetes' OpenAPI document), in two passes per document:
//   1. schema: kubernetes-models' validate() (JSON Schema, compiled with Ajv): types, required fields, formats,
//      int-or-string and quantity values;
//   2. strict: the document as an object literal typed with the package's TypeScript declaration of its kind,
//      checked by the TypeScript compiler: a field the API does not know (a typo, a field at the wrong level) is an
//      error, as with `kubectl --validate=strict` or kubeconform -strict, and so is a missing required field.
// Also checks, when PLINTH_ETC_SOURCES is set (folders, ':'-separated, a later one winning), that the ConfigMap
// plinth-etc holds exactly the files of those folders, byte for byte.
//
//   node validate.mjs FILE.yaml...        (run from the folder where the packages are installed: see ../validate.sh)
// Exit status 0 when every document passes, 1 otherwise.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

const problems = [];
const checks = []; // { label, tsFile }
const tsDir = resolve("strict-check");
rmSync(tsDir, { recursive: true, force: true });
mkdirSync(tsDir);

function moduleOf(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const path = slash < 0 ? `v1/${kind}` : `${apiVersion}/${kind}`;
  if (slash < 0 && apiVersion !== "v1") return null;
  return `kubernetes-models/${path}`;
}

function checkConfigMap(label, doc) {
  const sources = (process.env.PLINTH_ETC_SOURCES || "").split(":").filter(Boolean);
  if (sources.length === 0 || doc.metadata?.name !== "plinth-etc") return;
  const expected = new Map();
  for (const dir of sources) {
    for (const name of readdirSync(dir).sort()) {
      if (statSync(join(dir, name)).isFile()) expected.set(name, readFileSync(join(dir, name), "utf8"));
    }
  }
  const data = doc.data || {};
  for (const [name, text] of expected) {
    if (!(name in data)) problems.push(`${label}: key ${name} missing (a file of ${sources.join(", ")})`);
    else if (data[name] !== text) problems.push(`${label}: key ${name} differs from its file`);
  }
  for (const name of Object.keys(data)) {
    if (!expected.has(name)) problems.push(`${label}: key ${name} has no file in ${sources.join(", ")}`);
  }
}

let documents = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  let index = 0;
  for (const parsed of docs) {
    index++;
    const where = `${relative(process.env.PLINTH_ROOT || process.cwd(), file)}, document ${index}`;
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) problems.push(`${where}: YAML: ${e.message}`);
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) continue;
    documents++;
    const label = `${where} (${doc.kind ?? "?"} ${doc.metadata?.name ?? "?"})`;
    if (typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") {
      problems.push(`${label}: apiVersion and kind are required`);
      continue;
    }
    const spec = moduleOf(doc.apiVersion, doc.kind);
    let model;
    try {
      model = spec && (await import(spec))[doc.kind];
    } catch {
      model = undefined;
    }
    if (!model) {
      problems.push(`${label}: no schema for apiVersion ${doc.apiVersion}, kind ${doc.kind}`);
      continue;
    }
    try {
      new model(doc).validate();
    } catch (e) {
      problems.push(`${label}: schema: ${e.message}`);
    }
    const tsFile = join(tsDir, `${checks.length}-${basename(file).replace(/[^A-Za-z0-9]/g, "_")}.ts`);
    writeFileSync(
      tsFile,
      `import type { I${doc.kind} } from "${spec}";\n` +
        `export const manifest: I${doc.kind} = ${JSON.stringify(doc, null, 2)};\n`,
    );
    checks.push({ label, tsFile });
    if (doc.kind === "ConfigMap") checkConfigMap(label, doc);
  }
}

if (checks.length > 0) {
  const program = ts.createProgram(
    checks.map((c) => c.tsFile),
    {
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
    },
  );
  const labelOf = new Map(checks.map((c) => [c.tsFile, c.label]));
  // The compiler reports the first mismatch of an object literal only; the walk below names every unknown field.
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n    ");
    if (!d.file) {
      problems.push(`strict: ${message}`);
      continue;
    }
    if (d.code === 2353 || d.code === 2561) continue; // "may only specify known properties": the walk says it
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const source = d.file.text.split("\n")[line].trim();
    problems.push(`${labelOf.get(d.file.fileName) ?? d.file.fileName}: types: ${message}\n    at ${source}`);
  }
  const checker = program.getTypeChecker();
  for (const { label, tsFile } of checks) {
    const source = program.getSourceFile(tsFile);
    const statement = source.statements.find((s) => ts.isVariableStatement(s));
    const declaration = statement.declarationList.declarations[0];
    const json = JSON.parse(declaration.initializer.getText(source));
    walk(json, checker.getTypeFromTypeNode(declaration.type), "", declaration, checker, label);
  }
}

// Every field of the value must be a property of its declared type (or fall under an index signature, as labels).
function walk(value, type, path, node, checker, label) {
  if (value === null || typeof value !== "object") return;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  if (type.isUnion()) {
    const objects = type.types.filter((t) => t.flags & ts.TypeFlags.Object);
    if (objects.length !== 1) return; // no object type, or several: the schema pass judges
    type = objects[0];
  }
  if (Array.isArray(value)) {
    const element = checker.isArrayType(type) ? checker.getTypeArguments(type)[0] : undefined;
    if (element) value.forEach((v, i) => walk(v, element, `${path}[${i}]`, node, checker, label));
    return;
  }
  const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  for (const [key, v] of Object.entries(value)) {
    const property = type.getProperty(key);
    const at = path === "" ? key : `${path}.${key}`;
    if (property) walk(v, checker.getTypeOfSymbolAtLocation(property, node), at, node, checker, label);
    else if (index) walk(v, index, at, node, checker, label);
    else problems.push(`${label}: strict: unknown field ${at} (${checker.typeToString(type)} has no ${key})`);
  }
}
rmSync(tsDir, { recursive: true, force: true });
for (const p of problems) console.error(p);
console.log(
  `${documents} documents in ${files.length} files: ` +
    (problems.length === 0 ? "valid (schema and strict)" : `${problems.length} problems`),
);
process.exit(problems.length === 0 ? 0 : 1);
