#!/usr/bin/env node
/**
 * `npm run build:cli` (and `prepare`, which `npm install` runs): compiles src/ to CommonJS in dist-cli/ so that
 * bin/perfsheet.js starts from JavaScript instead of transpiling TypeScript through ts-node at every run.
 *
 * Transpile only, file by file (the sources are written for isolatedModules): no type check here, so that
 * `npm install` never fails on a type error — `npm run typecheck` is the type check. Writes dist-cli/.stamp last;
 * bin/perfsheet.js uses the compiled code only when the stamp is newer than every file in src/.
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const OUT = path.join(ROOT, 'dist-cli');

function sources(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function outputs(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...outputs(p));
    else if (p.endsWith('.js')) out.push(p);
  }
  return out;
}

function main() {
  // Required here, not at the top: without devDependencies (npm install --omit=dev) there is no TypeScript, and
  // that must not fail the install.
  const ts = require('typescript');
  const t0 = Date.now();
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const compilerOptions = {
    ...options,
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2020,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    noEmit: false,
  };
  // Written in place, file by file, only where the output changed, each by an atomic rename: a build while the
  // compiled command runs (tests run it side by side) never removes or truncates a file it is loading.
  const files = sources(SRC);
  const produced = new Set();
  for (const file of files) {
    const rel = path.relative(SRC, file).replace(/\.tsx?$/, '.js');
    const { outputText, diagnostics } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions,
      fileName: file,
      reportDiagnostics: true,
    });
    if (diagnostics && diagnostics.length) {
      const msg = ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => '\n',
      });
      throw new Error(`cannot compile ${path.relative(ROOT, file)}:\n${msg}`);
    }
    const dest = path.join(OUT, rel);
    produced.add(dest);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    let same = false;
    try {
      same = fs.readFileSync(dest, 'utf8') === outputText;
    } catch {
      same = false;
    }
    if (!same) writeAtomic(dest, outputText);
  }
  // Outputs of sources that are gone.
  for (const f of outputs(OUT)) if (!produced.has(f)) fs.rmSync(f, { force: true });
  writeAtomic(path.join(OUT, '.stamp'), new Date().toISOString());
  console.log(`perfsheet CLI: ${files.length} files compiled to dist-cli/ in ${Date.now() - t0} ms`);
}

try {
  main();
} catch (e) {
  // A syntax error in src/ must not stop `npm install`: the CLI then falls back to ts-node, which reports it.
  console.warn(`perfsheet CLI not compiled (bin/perfsheet.js will use ts-node): ${e.message}`);
}
