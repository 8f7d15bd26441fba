// Licence rules for ops/check-licences.js, kept apart from the script so that unit tests can call them
// without a package-lock.json: which SPDX ids count as permissive, how an SPDX expression is evaluated,
// and where a package declares its licence (current `license` field or the legacy forms).
'use strict';

/**
 * Licences under which a dependency may ship inside this Apache-2.0 network service: none of them asks
 * for the service's source to be offered to its users (as AGPL does) or for derived works to carry the
 * same licence. CC-BY-*, CC0 and Python-2.0 appear on data or tooling packages (e.g. caniuse-lite, argparse).
 */
const PERMISSIVE_LICENCES = Object.freeze([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BSL-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Python-2.0',
  'Unlicense',
  'Zlib',
]);

/** Splits an SPDX expression into ids, operators and parentheses; ids may carry a trailing `+`. */
function tokenize(expression) {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  return tokens.map((text) => {
    const upper = text.toUpperCase();
    // SPDX operators are upper case, but old package.json files write "MIT or Apache-2.0"; no licence id is
    // spelled and/or/with, so reading them case-insensitively cannot swallow an id.
    if (upper === 'AND' || upper === 'OR' || upper === 'WITH') return { kind: upper };
    if (text === '(' || text === ')') return { kind: text };
    return { kind: 'id', text };
  });
}

/**
 * Parses an SPDX licence expression into a tree of `{ id }`, `{ id, exception }`, `{ and: [...] }` and
 * `{ or: [...] }` nodes. AND binds tighter than OR (SPDX spec, annex D). Throws a SyntaxError naming the
 * expression when it is not one, so that e.g. "SEE LICENSE IN LICENSE.txt" is reported rather than guessed.
 */
function parseSpdxExpression(expression) {
  const tokens = tokenize(expression);
  let position = 0;
  const fail = (why) => {
    throw new SyntaxError(`not an SPDX expression (${why}): ${JSON.stringify(expression)}`);
  };
  const peek = () => tokens[position]?.kind;

  const parseOr = () => {
    const operands = [parseAnd()];
    while (peek() === 'OR') {
      position++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0] : { or: operands };
  };
  const parseAnd = () => {
    const operands = [parseWith()];
    while (peek() === 'AND') {
      position++;
      operands.push(parseWith());
    }
    return operands.length === 1 ? operands[0] : { and: operands };
  };
  const parseWith = () => {
    const licence = parseAtom();
    if (peek() !== 'WITH') return licence;
    position++;
    if (!licence.id) fail('WITH after a parenthesised expression');
    if (peek() !== 'id') fail('WITH without an exception id');
    return { id: licence.id, exception: tokens[position++].text };
  };
  const parseAtom = () => {
    const token = tokens[position++];
    if (!token) fail('ends early');
    if (token.kind === 'id') return { id: token.text };
    if (token.kind !== '(') fail(`unexpected ${token.kind}`);
    const inner = parseOr();
    if (tokens[position++]?.kind !== ')') fail('unclosed parenthesis');
    return inner;
  };

  const tree = parseOr();
  if (position < tokens.length) fail(`unexpected ${tokens[position].text ?? tokens[position].kind}`);
  return tree;
}

/**
 * Whether a package under this SPDX expression may be shipped: OR needs any one choice allowed, AND needs
 * every part allowed. `X+` ("X or later") and `X WITH exception` are allowed when X is, since the later
 * versions and the exception only widen what X permits; an allow-list entry may also name the exact
 * `X WITH exception` form for a copyleft X whose exception makes it acceptable. Ids compare
 * case-insensitively, as the SPDX spec asks.
 */
function isPermissiveExpression(expression, allowList = PERMISSIVE_LICENCES) {
  const allowed = new Set(allowList.map((id) => id.toLowerCase()));
  const evaluate = (node) => {
    if (node.or) return node.or.some(evaluate);
    if (node.and) return node.and.every(evaluate);
    const id = node.id.replace(/\+$/, '').toLowerCase();
    if (node.exception && allowed.has(`${id} with ${node.exception.toLowerCase()}`)) return true;
    return allowed.has(id);
  };
  return evaluate(parseSpdxExpression(expression));
}

/**
 * The licence a package.json (or a package-lock.json `packages` entry, which copies the field) declares, as
 * an SPDX expression, or undefined when it declares none. Besides the current `license: "<SPDX>"` this reads
 * the forms npm deprecated but old packages still publish: `license: { type }` and `licenses: [{ type }, …]`,
 * whose entries were alternatives the user could choose from, so they are joined with OR.
 */
function declaredLicence(manifest) {
  const typeOf = (value) => (typeof value === 'string' ? value : value?.type);
  const licence = typeOf(manifest.license);
  if (licence) return licence;
  if (!Array.isArray(manifest.licenses)) return undefined;
  const choices = manifest.licenses.map(typeOf).filter(Boolean);
  if (choices.length === 0) return undefined;
  return choices.length === 1 ? choices[0] : choices.map((choice) => `(${choice})`).join(' OR ');
}

module.exports = { PERMISSIVE_LICENCES, parseSpdxExpression, isPermissiveExpression, declaredLicence };
