// Types for ops/licences.js, which stays plain JavaScript so that CI runs it with `node` before any build.
export type SpdxNode = { id: string; exception?: string } | { and: SpdxNode[] } | { or: SpdxNode[] };
export const PERMISSIVE_LICENCES: readonly string[];
export function parseSpdxExpression(expression: string): SpdxNode;
export function isPermissiveExpression(expression: string, allowList?: readonly string[]): boolean;
export function declaredLicence(manifest: { license?: unknown; licenses?: unknown }): string | undefined;
