import type { Env } from '../../../config/env-readers';

/**
 * Failure-report settings, read once from the environment by FailureReportsModule (README "Immediate failure
 * reports"): `CONTACT_ENCRYPTION_KEY`, base64 of 32 bytes; unset = generated into DATA_DIR/contact-key.
 */
export type FailureReportsConfig = Readonly<{ contactEncryptionKey?: string }>;
export const FAILURE_REPORTS_CONFIG = Symbol('FAILURE_REPORTS_CONFIG');

export function loadFailureReportsConfig(env: Env): FailureReportsConfig {
  return { contactEncryptionKey: env.CONTACT_ENCRYPTION_KEY?.trim() || undefined };
}
