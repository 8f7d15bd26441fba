// Types for ops/engines.js, which stays plain JavaScript so that CI runs it with `node` before any build.
type Semver = { satisfies(version: string, range: string): boolean; subset(sub: string, dom: string): boolean };
type Lock = { packages?: Record<string, { version?: string; dev?: boolean; link?: boolean; engines?: { node?: string } }> };
export function engineProblems(lock: Lock, nodeVersion: string, semver: Semver): string[];
