/** Names of the read routes PUBLIC_READ_ROUTES may reopen to anonymous clients (README "Security model"). */
export const PUBLIC_READ_ROUTE_NAMES = ['api-records', 'nodes', 'metrics', 'docs', 'stats-db'] as const;
export type PublicReadRouteName = (typeof PUBLIC_READ_ROUTE_NAMES)[number];
