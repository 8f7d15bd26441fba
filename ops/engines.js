// Engine checks over package-lock.json, shared by ops/check-lockfile.js and its unit test. Plain JavaScript so
// that CI runs it with `node` before any build.
'use strict';

/**
 * Problems with the locked packages' `engines.node`:
 * - any package (dev ones too) whose range excludes the Node we run on (`nodeVersion`): it would not install
 *   or not work here;
 * - a production package whose range does not cover the whole range this project declares (the root
 *   entry's `engines.node`): a user on a Node we claim to support would get a package that refuses it
 *   (cookie 2 wants Node 22, content-disposition 3 needs require(esm) from Node 20.19).
 * Dev-only packages are checked against the running Node only: they are never installed by users.
 */
function engineProblems(lock, nodeVersion, semver) {
  const problems = [];
  const packages = lock.packages ?? {};
  const ours = packages['']?.engines?.node;
  for (const [key, entry] of Object.entries(packages)) {
    const wanted = entry.engines?.node;
    if (!key || entry.link || !wanted) continue;
    if (!semver.satisfies(nodeVersion, wanted)) {
      problems.push(`${key}@${entry.version}: engines.node "${wanted}" excludes Node ${nodeVersion}`);
    } else if (ours && !entry.dev && !semver.subset(ours, wanted)) {
      problems.push(`${key}@${entry.version}: engines.node "${wanted}" does not cover ours ("${ours}")`);
    }
  }
  return problems;
}

module.exports = { engineProblems };
