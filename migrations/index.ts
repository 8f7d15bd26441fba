import { Migration20261123090000PlatformSpine } from './Migration20261123090000_platform_spine';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list runs from compiled JS at
 * start-up and from TypeScript in tests.
 */
export const MIGRATIONS = [
  { name: 'Migration20261123090000_platform_spine', class: Migration20261123090000PlatformSpine },
];
