/** DI tokens for plain objects (classes are their own tokens). */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** The environment variables every module reads its own settings from (`process.env` outside tests). */
export const ENVIRONMENT = Symbol('ENVIRONMENT');
export const DB_CAPABILITIES = Symbol('DB_CAPABILITIES');
