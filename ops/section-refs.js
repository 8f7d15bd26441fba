#!/usr/bin/env node
// Section references (`clearlinux.md §7.4`) in code comments, schemas, templates and the README point into the
// protocol notes under docs/. Two sources' notes share the same numbering (Clear Linux and Fuel both have a
// §7.4), so a bare `§7.4` is ambiguous: every reference must name its document, and that document must have
// the section (a `## 7.4 …` heading).
//
//   node ops/section-refs.js --check     lists every reference that names no doc under docs/, names one that
//                                        does not exist, or a section the doc does not have; exits 1 if any
//   node ops/section-refs.js --qualify   rewrites bare references in place: `§7.4` → `clearlinux.md §7.4`,
//                                        `fuelstats §2.2` → `fuelstats.md §2.2`; prints what it could not decide
//   node ops/section-refs.js --list      every reference with the document it names or would be given
//
// Which document a bare reference means, first rule that applies:
//   1. OVERRIDES: a distinctive snippet of the line it is on (not a line number: files move and grow);
//   2. a lettered section (`§A.7`, `§B.10`) that exactly one doc has;
//   3. CONTEXT_RULES on the file's path (the source's name in it: `clearlinux`, `fuel`, `failure`(-reports),
//      `alert`(s), `submission`, `nodes`), so the mapping survives moves inside a source; in Markdown files the
//      nearest heading above the line is matched too (the README has one chapter per source).
// References to external documents (`RFC 9110 §10.2.3`) are left alone.
'use strict';
const fs = require('fs');
const path = require('path');

const S = '\u00a7';
/** Scanned, relative to the repository root. test/fixtures holds copies of upstream reference material. */
const ROOTS = ['src', 'migrations', 'test', 'schemas', 'console', 'plugins', 'bench', 'README.md'];
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'fixtures']);
const TEXT_FILE = /\.(ts|js|mjs|cjs|json|hbs|html|md|sql|css|txt|ya?ml)$/;

/** Informal names of a doc, as older comments wrote them (`spec fuelstats §2.2`). */
const ALIASES = {
  clearlinux: 'clearlinux.md',
  fuelstats: 'fuelstats.md',
  'submissions-and-nodes': 'submissions-and-nodes.md',
};

/** Rule 3. Tested against the file's path, then (Markdown) against `# <nearest heading>`; order matters. */
const CONTEXT_RULES = [
  { pattern: /clearlinux|clear-linux|clear linux|telemetrics|^# plugin views/i, doc: 'clearlinux.md' },
  { pattern: /fuel|failure|alert/i, doc: 'fuelstats.md' },
  { pattern: /submissions?|(^|\/)submit|(^|[/_-])nodes?([/_.-]|$)|^# node telemetry/i, doc: 'submissions-and-nodes.md' },
];

/**
 * Rule 1: where the path rule is wrong or there is none. `snippet` is matched against the line holding the
 * reference; with `section`, only a reference whose first section is that one. Keep the snippet free of the
 * reference itself so it still matches once the line has been qualified elsewhere.
 */
const OVERRIDES = [
  {
    snippet: 'Plugin views (spec',
    doc: 'clearlinux.md',
    reason: 'the plugin loader (src/analytics/plugins) implements Clear Linux 8.9 "Plugin views"; its path names no source',
  },
  {
    snippet: 'The Records view (spec',
    doc: 'clearlinux.md',
    reason: 'browser test of the Clear Linux Records page (8.1); test/e2e/records-view.spec.ts names no source',
  },
];

const ID = '(?:[A-Z](?:\\.\\d+)*|\\d+(?:\\.\\d+)*)';
/** `§7.4`, `§§3.1–3.4`, `§8.2–§8.8`, `§3.4/§3.5`, `§3.1, §5`, `§A.6–A.9`, `§7.3 and §7.4`. */
const GROUP = new RegExp(`${S}${S}?${ID}(?:(?:[–—-]${S}?${S}?|/${S}${S}?|,\\s*${S}${S}?|\\s+(?:and|or)\\s+${S}${S}?)${ID})*`, 'g');
const SECTION_ID = new RegExp(ID, 'g');
/** Text right before a group that names its document: `clearlinux.md `, `` `docs/fuelstats.md` ``, `fuelstats `. */
const NAMED_DOC = /(`?)((?:docs\/)?([\w.-]+\.md))\1\s+$/;
const ALIAS_DOC = new RegExp(`\\b(${Object.keys(ALIASES).join('|')})\\s+$`);
/** A section of somebody else's document. */
const EXTERNAL = /\b(?:RFC|ISO|IEEE|POSIX|ECMA-?)\s*[\d.-]*\s+$/i;

/** Section ids a Markdown doc has: `## 7.4 Title`, `## A.7 Title`, `# Part A — …`, `## 7. Title`. */
function docSections(markdown) {
  const ids = new Set();
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^#{1,6}\s+(?:Part\s+)?([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\.?(?=[\s:]|$)/.exec(line);
    if (m) ids.add(m[1]);
  }
  return ids;
}

/** Every reference group in `text`, with what (if anything) names its document. */
function findRefs(text) {
  const refs = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let heading = '';
  let headingLine = -1;
  for (const m of text.matchAll(GROUP)) {
    let line = 0;
    for (let lo = 0, hi = lineStarts.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      if (lineStarts[mid] <= m.index) (line = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    const lineStart = lineStarts[line];
    const lineEnd = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    const before = text.slice(lineStart, m.index);
    if (line !== headingLine) {
      heading = nearestHeading(text, lineStarts, line);
      headingLine = line;
    }
    const named = NAMED_DOC.exec(before);
    const alias = named ? undefined : ALIAS_DOC.exec(before);
    refs.push({
      index: m.index,
      text: m[0],
      line: line + 1,
      lineText: text.slice(lineStart, lineEnd),
      heading,
      sections: m[0].match(SECTION_ID),
      doc: named ? path.basename(named[3]) : undefined,
      alias: alias ? { name: alias[1], index: m.index - alias[0].length } : undefined,
      external: !named && !alias && EXTERNAL.test(before),
    });
  }
  return refs;
}

function nearestHeading(text, lineStarts, line) {
  for (let l = line; l >= 0; l--) {
    const end = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : text.length;
    const m = /^#{1,6}\s+(.*)$/.exec(text.slice(lineStarts[l], end));
    if (m) return m[1].trim();
  }
  return '';
}

/**
 * The doc a bare reference means, or undefined. `docs` maps a doc file name to its section ids; `file` is the
 * path relative to the repository root (forward slashes).
 */
function resolveDoc(ref, file, docs) {
  for (const o of OVERRIDES) {
    if (ref.lineText.includes(o.snippet) && (!o.section || ref.sections[0] === o.section)) return { doc: o.doc, why: 'override' };
  }
  if (/^[A-Z]/.test(ref.sections[0])) {
    const having = Object.keys(docs).filter((d) => ref.sections.every((s) => docs[d].has(s)));
    if (having.length === 1) return { doc: having[0], why: 'lettered section' };
  }
  const contexts = [file];
  if (file.endsWith('.md') && ref.heading) contexts.push(`# ${ref.heading}`);
  for (const context of contexts) {
    for (const rule of CONTEXT_RULES) if (rule.pattern.test(context)) return { doc: rule.doc, why: 'path' };
  }
  return undefined;
}

/** Problems of the references in one file's text: [{ line, ref, problem }]. */
function checkText(text, file, docs) {
  const problems = [];
  for (const ref of findRefs(text)) {
    if (ref.external) continue;
    const where = { line: ref.line, ref: ref.text };
    if (!ref.doc) {
      const guess = resolveDoc(ref, file, docs);
      const hint = ref.alias ? `write ${ALIASES[ref.alias.name]}` : guess ? `--qualify would name ${guess.doc}` : 'add an override in ops/section-refs.js';
      problems.push({ ...where, problem: `names no document (${hint})` });
    } else if (!docs[ref.doc]) {
      problems.push({ ...where, problem: `docs/${ref.doc} does not exist` });
    } else {
      const missing = ref.sections.filter((s) => !docs[ref.doc].has(s));
      if (missing.length) problems.push({ ...where, problem: `docs/${ref.doc} has no section ${missing.map((s) => S + s).join(', ')}` });
    }
  }
  return problems;
}

/** `text` with every bare reference qualified; `unresolved` lists what no rule decided. */
function qualifyText(text, file, docs) {
  const unresolved = [];
  let out = '';
  let at = 0;
  for (const ref of findRefs(text)) {
    if (ref.doc || ref.external) continue;
    if (ref.alias) {
      out += text.slice(at, ref.alias.index) + ALIASES[ref.alias.name] + text.slice(ref.alias.index + ref.alias.name.length, ref.index);
      at = ref.index;
      continue;
    }
    const resolved = resolveDoc(ref, file, docs);
    if (!resolved) {
      unresolved.push({ line: ref.line, ref: ref.text });
      continue;
    }
    out += text.slice(at, ref.index) + `${resolved.doc} `;
    at = ref.index;
  }
  return { text: out + text.slice(at), unresolved };
}

function loadDocs(root) {
  const docs = {};
  const dir = path.join(root, 'docs');
  if (!fs.existsSync(dir)) return docs;
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith('.md')) docs[name] = docSections(fs.readFileSync(path.join(dir, name), 'utf8'));
  }
  return docs;
}

function* scannedFiles(root) {
  function* walk(rel) {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isFile()) {
      if (TEXT_FILE.test(rel)) yield rel;
      return;
    }
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory() && SKIP_DIRS.has(entry.name)) continue;
      yield* walk(path.posix.join(rel, entry.name));
    }
  }
  for (const r of ROOTS) yield* walk(r);
}

function main(argv) {
  const mode = argv[2];
  const root = path.resolve(__dirname, '..');
  const docs = loadDocs(root);
  let refs = 0;
  let files = 0;
  const problems = [];
  for (const file of scannedFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    if (!text.includes(S)) continue;
    if (mode === '--check') {
      const found = findRefs(text).filter((r) => !r.external);
      refs += found.length;
      for (const p of checkText(text, file, docs)) problems.push(`${file}:${p.line}: ${p.ref} ${p.problem}`);
    } else if (mode === '--qualify') {
      const { text: qualified, unresolved } = qualifyText(text, file, docs);
      for (const u of unresolved) problems.push(`${file}:${u.line}: ${u.ref} no rule decides its document (add an override in ops/section-refs.js)`);
      if (qualified !== text) {
        fs.writeFileSync(path.join(root, file), qualified);
        files++;
      }
    } else if (mode === '--list') {
      for (const ref of findRefs(text)) {
        const r = ref.doc
          ? { doc: ref.doc, why: 'named' }
          : ref.alias
            ? { doc: ALIASES[ref.alias.name], why: 'alias' }
            : ref.external
              ? { doc: '-', why: 'external' }
              : (resolveDoc(ref, file, docs) ?? { doc: '?', why: '?' });
        console.log(`${file}:${ref.line}\t${r.doc}\t${r.why}\t${ref.text}\t${ref.lineText.trim()}`);
      }
    } else {
      console.error('usage: node ops/section-refs.js --check | --qualify | --list');
      return 2;
    }
  }
  if (mode === '--check') {
    if (problems.length) {
      console.error(`section refs: ${problems.length} of ${refs} references do not resolve to a section of a doc under docs/\n  ${problems.join('\n  ')}`);
      console.error('run `node ops/section-refs.js --qualify` to name the doc of bare references');
      return 1;
    }
    console.log(`section refs: ${refs} references, each names a doc under docs/ that has the section`);
  } else if (mode === '--qualify') {
    console.log(`section refs: qualified references in ${files} files`);
    if (problems.length) {
      console.error(`  ${problems.join('\n  ')}`);
      return 1;
    }
  }
  return 0;
}

module.exports = { docSections, findRefs, resolveDoc, checkText, qualifyText, CONTEXT_RULES, OVERRIDES };

if (require.main === module) process.exitCode = main(process.argv);
