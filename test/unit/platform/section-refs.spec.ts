import { checkText, docSections, findRefs, qualifyText } from '../../../ops/section-refs';

// The section sign is written as an escape so that ops/section-refs.js --check does not read these inputs as
// references of this file.
const S = '\u00a7';

const docs = {
  'clearlinux.md': docSections(['# Clear Linux', '## 3. v2', '### 3.1 Fields', '### 3.4 Body', '## 5. v3', '### 7.4 Guilty', '### 8.2 Builds', '### 8.8 Population', '### 8.9 Plugins'].join('\n')),
  'fuelstats.md': docSections(['# Fuel', '## 2. Endpoints', '### 2.2 Errors', '## 3. Bodies', '### 3.2 Action logs', '### 3.6 Sanitising', '## 7. Failure reports'].join('\n')),
  'submissions-and-nodes.md': docSections(['# Part A — submit', '## A.6 Dedupe', '## A.7 Metadata', '## A.9 Read API', '# Part B — nodes', '## B.1 Ingest', '## B.10 Losses'].join('\n')),
};

describe('docSections', () => {
  it('reads numbered, lettered and "Part" headings, with or without a trailing dot', () => {
    expect([...docSections('# Part A — x\n## A.7 Meta\n## 7. Crashes\n### 7.4 Guilty\ntext 7.5\n## Notes')]).toEqual(['A', 'A.7', '7', '7.4']);
  });
});

describe('findRefs', () => {
  it('groups ranges and lists into one reference, and sees what names the doc', () => {
    const refs = findRefs(`a (spec ${S}8.2–${S}8.8), b ${S}3.1/${S}3.4, c ${S}${S}3.1–3.4, d clearlinux.md ${S}7.4, e \`fuelstats.md\` ${S}2.2, f fuelstats ${S}3.6`);
    expect(refs.map((r) => [r.text, r.sections, r.doc, r.alias?.name])).toEqual([
      [`${S}8.2–${S}8.8`, ['8.2', '8.8'], undefined, undefined],
      [`${S}3.1/${S}3.4`, ['3.1', '3.4'], undefined, undefined],
      [`${S}${S}3.1–3.4`, ['3.1', '3.4'], undefined, undefined],
      [`${S}7.4`, ['7.4'], 'clearlinux.md', undefined],
      [`${S}2.2`, ['2.2'], 'fuelstats.md', undefined],
      [`${S}3.6`, ['3.6'], undefined, 'fuelstats'],
    ]);
  });
  it('a comma list stays one reference; sentence punctuation and "#n" are not part of it', () => {
    expect(findRefs(`(spec ${S}3.1, ${S}5). See ${S}7.4. Then ${S}B.10 #8`).map((r) => r.text)).toEqual([`${S}3.1, ${S}5`, `${S}7.4`, `${S}B.10`]);
  });
  it('marks sections of external documents', () => {
    const [ref] = findRefs(`an HTTP date (RFC 9110 ${S}10.2.3)`);
    expect(ref.external).toBe(true);
  });
});

describe('qualifyText', () => {
  it('names the doc from the source in the path, and survives a move inside the source', () => {
    const text = `/** Spec ${S}7.4: guilty selection (${S}3.1, ${S}5). */`;
    const want = `/** Spec clearlinux.md ${S}7.4: guilty selection (clearlinux.md ${S}3.1, ${S}5). */`;
    expect(qualifyText(text, 'src/sources/clearlinux/backtrace.ts', docs).text).toBe(want);
    expect(qualifyText(text, 'src/sources/clearlinux/crashes/guilty/backtrace.ts', docs).text).toBe(want);
  });
  it('the same bare number means another doc in another source', () => {
    expect(qualifyText(`// ${S}3.2 step 5`, 'src/sources/fuel/intake/action-logs.handler.ts', docs).text).toBe(`// fuelstats.md ${S}3.2 step 5`);
    expect(qualifyText(`// ${S}7 report`, 'src/failure-reports/handler.ts', docs).text).toBe(`// fuelstats.md ${S}7 report`);
    expect(qualifyText(`// ${S}7 report`, 'migrations/Migration1_failure_alerts.ts', docs).text).toBe(`// fuelstats.md ${S}7 report`);
    expect(qualifyText(`// ${S}7 report`, 'src/alerting/rules.ts', docs).text).toBe(`// fuelstats.md ${S}7 report`);
  });
  it('lettered sections go to the one doc that has them, wherever the file is', () => {
    expect(qualifyText(`per ${S}A.7's rule (${S}B.1 DECISION)`, 'src/common/client-address.ts', docs).text).toBe(
      `per submissions-and-nodes.md ${S}A.7's rule (submissions-and-nodes.md ${S}B.1 DECISION)`,
    );
  });
  it('keeps ranges and lists whole: one doc name in front', () => {
    expect(qualifyText(`(spec ${S}8.2–${S}8.8) and ${S}${S}3.1–3.4`, 'src/sources/clearlinux/analytics/x.ts', docs).text).toBe(
      `(spec clearlinux.md ${S}8.2–${S}8.8) and clearlinux.md ${S}${S}3.1–3.4`,
    );
  });
  it('completes informal names and leaves qualified and external references alone', () => {
    const text = `(fuelstats ${S}2.2), clearlinux.md ${S}7.4, RFC 9110 ${S}10.2.3`;
    expect(qualifyText(text, 'src/common/error.filter.ts', docs)).toEqual({ text: `(fuelstats.md ${S}2.2), clearlinux.md ${S}7.4, RFC 9110 ${S}10.2.3`, unresolved: [] });
  });
  it('uses the override table where the path says nothing', () => {
    expect(qualifyText(` * Plugin views (spec ${S}8.9): a folder`, 'src/platform/plugins/plugin-manifest.ts', docs).text).toBe(` * Plugin views (spec clearlinux.md ${S}8.9): a folder`);
  });
  it('in Markdown, the nearest heading decides', () => {
    const md = `# Readme\n## Clear Linux collector\nsee ${S}3.1\n## Fuel statistics collector\nsee ${S}3.2\n## Node telemetry\nsee ${S}3.2\n`;
    const { text, unresolved } = qualifyText(md, 'README.md', docs);
    expect(text).toContain(`see clearlinux.md ${S}3.1\n## Fuel`);
    expect(text).toContain(`see fuelstats.md ${S}3.2\n## Node`);
    expect(unresolved).toEqual([]);
    expect(text.endsWith(`see submissions-and-nodes.md ${S}3.2\n`)).toBe(true);
  });
  it('reports what no rule decides and leaves it as it was', () => {
    expect(qualifyText(`// ${S}2.2`, 'src/common/misc.ts', docs)).toEqual({ text: `// ${S}2.2`, unresolved: [{ line: 1, ref: `${S}2.2` }] });
  });
});

describe('checkText', () => {
  it('passes qualified references to existing sections, and qualified text after --qualify', () => {
    expect(checkText(`clearlinux.md ${S}7.4, fuelstats.md ${S}2–${S}3, submissions-and-nodes.md ${S}A.6–A.9, RFC 9110 ${S}10.2.3`, 'x.ts', docs)).toEqual([]);
    const bare = `// ${S}3.2/${S}3.6 and fuelstats ${S}7`;
    expect(checkText(qualifyText(bare, 'src/sources/fuel/x.ts', docs).text, 'src/sources/fuel/x.ts', docs)).toEqual([]);
  });
  it('lists bare references, missing docs and missing sections', () => {
    const text = [`// ${S}7.4`, `// fuelstats ${S}2.2`, `// nodes.md ${S}B.1`, `// clearlinux.md ${S}7.6`, `// fuelstats.md ${S}2–${S}4`].join('\n');
    expect(checkText(text, 'src/sources/clearlinux/x.ts', docs)).toEqual([
      { line: 1, ref: `${S}7.4`, problem: 'names no document (--qualify would name clearlinux.md)' },
      { line: 2, ref: `${S}2.2`, problem: 'names no document (write fuelstats.md)' },
      { line: 3, ref: `${S}B.1`, problem: 'docs/nodes.md does not exist' },
      { line: 4, ref: `${S}7.6`, problem: `docs/clearlinux.md has no section ${S}7.6` },
      { line: 5, ref: `${S}2–${S}4`, problem: `docs/fuelstats.md has no section ${S}4` },
    ]);
  });
});
