import { SetMetadata } from '@nestjs/common';
import type { PublicReadRouteName } from '../config/public-read-routes';

/**
 * The roles, weakest first: each role may do everything the roles before it may.
 * viewer: console pages and analytics reads; analyst: + exports, plugin views, guilty/never-guilty edits;
 * support: + failure reports with customer contacts, acknowledge/assign, alert rules and channels;
 * admin: + users, tokens, replay, projector admin, quarantine, settings.
 */
export const ROLES = ['viewer', 'analyst', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

export const REQUIRED_ROLE = 'required-role';
/**
 * The weakest role that may use a controller's routes (on the class) or one route (on a handler, which wins).
 * A route without a declaration needs admin, so a forgotten declaration is never an open door.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

export const PUBLIC_READ_ROUTE = 'public-read-route';
/** A viewer route that is open without a credential when PUBLIC_READ_ROUTES names it (upstream clients had no auth). */
export const PublicReadRoute = (name: PublicReadRouteName) => SetMetadata(PUBLIC_READ_ROUTE, name);
