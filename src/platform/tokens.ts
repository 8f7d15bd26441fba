/** DI tokens for plain objects (classes are their own tokens). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DB_CAPABILITIES = Symbol('DB_CAPABILITIES');
