#!/usr/bin/env node
// `npm run build` (and `npm start`'s prestart): compiles tsconfig.build.json into dist/ with `tsc -b`, and
// does not even load TypeScript when dist/ is already up to date. Loading the compiler costs ~0.4 s and a
// non-build `tsc -p` re-checks every file (~6 s), both on each `npm start`.
//
// "Up to date" means: the build info file exists, every source has its .js in dist/, and no source,
// source directory (files added, removed or renamed) or tsconfig is newer than the build info. Anything
// else runs `tsc -b`, which compares contents and rebuilds what changed. `tsc -b` alone trusts its build
// info and would not notice deleted outputs (e.g. `rm -rf dist/src`), so then the build info is removed
// first and everything is compiled again. Extra arguments go to tsc (`npm run build -- --force`).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const project = 'tsconfig.build.json';
const config = JSON.parse(fs.readFileSync(path.join(root, project), 'utf8'));
const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
const options = { ...base.compilerOptions, ...config.compilerOptions };
const outDir = path.join(root, options.outDir);
const rootDir = path.join(root, options.rootDir);
const buildInfo = path.join(root, options.tsBuildInfoFile);

function upToDate() {
  const built = mtime(buildInfo);
  if (built === undefined) return 'no build info';
  const inputs = [path.join(root, 'tsconfig.json'), path.join(root, project), require.resolve('typescript/package.json', { paths: [root] })];
  for (const pattern of config.include) {
    const match = /^([^*]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (!match) return `include pattern "${pattern}" is not "<dir>/**/*.ts"`;
    const sources = walk(path.join(root, match[1]), inputs);
    for (const source of sources) {
      const output = path.join(outDir, path.relative(rootDir, source)).replace(/\.ts$/, '.js');
      if (fs.existsSync(output)) continue;
      // A source newer than the build info is compiled by tsc -b anyway (a file just added).
      if (mtime(source) > built) return `${path.relative(root, source)} is new`;
      fs.rmSync(buildInfo, { force: true });
      return `${path.relative(root, output)} is missing`;
    }
  }
  const newer = inputs.find((file) => (mtime(file) ?? Infinity) > built);
  return newer ? `${path.relative(root, newer)} changed` : null;
}

/** The .ts files (not .d.ts) under `dir`; `dir` itself and every directory below it go into `seen`. */
function walk(dir, seen) {
  const sources = [];
  if (!fs.existsSync(dir)) return sources;
  seen.push(dir);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources.push(...walk(full, seen));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      seen.push(full);
      sources.push(full);
    }
  }
  return sources;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

const checkedAt = new Date();
const extra = process.argv.slice(2);
const reason = extra.length > 0 ? 'arguments given' : upToDate();
if (reason === null) process.exit(0);
if (process.env.BUILD_VERBOSE) process.stderr.write(`build: ${reason}\n`);
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const result = spawnSync(process.execPath, [tsc, '-b', project, ...extra], { cwd: root, stdio: 'inherit' });
// tsc -b leaves its build info alone when only a directory changed (an editor's swap file): without this
// every later start would run tsc again. The check's own start time, so an edit made while tsc ran is
// still newer than the build info next time.
if (result.status === 0 && (mtime(buildInfo) ?? Infinity) < checkedAt.getTime()) fs.utimesSync(buildInfo, checkedAt, checkedAt);
process.exit(result.status ?? 1);
