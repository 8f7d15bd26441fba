#!/usr/bin/env node
// Fails when package-lock.json would not install on a fresh machine of ours (Node 20, empty npm cache):
// an entry without a version or integrity (a placeholder npm writes when the registry did not serve an
// optional package that day; a later npm crashes on it with "Invalid Version:"), or, with --engines after
// install, a locked package whose `engines.node` excludes the Node we run on or (production packages) does
// not cover the whole range package.json declares.
'use strict';
const fs = require('fs');
const path = require('path');
const { engineProblems } = require('./engines');

const root = path.resolve(__dirname, '..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const problems = [];

for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  if (key === '' || entry.link) continue;
  if (!entry.version) problems.push(`${key}: no version`);
  else if (!entry.integrity) problems.push(`${key}@${entry.version}: no integrity`);
}

if (process.argv.includes('--engines')) {
  const semver = require(path.join(root, 'node_modules/semver'));
  problems.push(...engineProblems(lock, process.versions.node, semver));
}

if (problems.length) {
  console.error(`package-lock.json: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('package-lock.json: complete');
