// Types for ops/section-refs.js, which stays plain JavaScript so that CI runs it with `node` before any build.
export type SectionRef = {
  index: number;
  text: string;
  line: number;
  lineText: string;
  heading: string;
  sections: string[];
  doc?: string;
  alias?: { name: string; index: number };
  external: boolean;
};
export type Docs = Record<string, Set<string>>;
export function docSections(markdown: string): Set<string>;
export function findRefs(text: string): SectionRef[];
export function resolveDoc(ref: SectionRef, file: string, docs: Docs): { doc: string; why: string } | undefined;
export function checkText(text: string, file: string, docs: Docs): { line: number; ref: string; problem: string }[];
export function qualifyText(text: string, file: string, docs: Docs): { text: string; unresolved: { line: number; ref: string }[] };
export const CONTEXT_RULES: readonly { pattern: RegExp; doc: string }[];
export const OVERRIDES: readonly { snippet: string; doc: string; reason: string; section?: string }[];
