#!/usr/bin/env node
// Fails when a production dependency in package-lock.json is not under a permissive licence (ops/licences.js
// lists which): this is an Apache-2.0 network service, and one AGPL package (ua-parser-js 2.x once) would
// oblige every deployment to offer its source to its users. Dev-only packages are not shipped and not checked.
// Needs node_modules only for lock entries without a licence field (older npm did not always copy it).
'use strict';
const fs = require('fs');
const path = require('path');
const { PERMISSIVE_LICENCES, isPermissiveExpression, declaredLicence } = require('./licences');

const root = path.resolve(__dirname, '..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const problems = [];
let checked = 0;

/** The installed package.json behind a lock key ("node_modules/a/node_modules/b"), or undefined. */
function installedManifest(key) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, key, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  // '' is this project; a link's target has its own entry. `dev: true` packages are only installed for
  // development. `devOptional` ones are also optional dependencies of a production package, so
  // `npm ci --omit=dev` may still install them: they are checked.
  if (key === '' || entry.link || entry.dev) continue;
  checked++;
  const name = `${entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`;
  const licence = declaredLicence(entry) ?? declaredLicence(installedManifest(key) ?? {});
  if (!licence) {
    problems.push(`${name} (${key}): declares no licence`);
    continue;
  }
  try {
    if (!isPermissiveExpression(licence)) problems.push(`${name} (${key}): ${licence}`);
  } catch (error) {
    problems.push(`${name} (${key}): ${error.message}`);
  }
}

if (problems.length) {
  console.error(
    `licences: ${problems.length} of ${checked} production packages are not under a permissive licence\n  ${problems.join('\n  ')}\n` +
      `allowed: ${PERMISSIVE_LICENCES.join(', ')} (ops/licences.js): replace the package, or move it to devDependencies if only tests and tooling use it`,
  );
  process.exit(1);
}
console.log(`licences: ${checked} production packages, all under a permissive licence`);
