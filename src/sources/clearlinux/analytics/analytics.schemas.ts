import { SwaggerSchema, swaggerSchema } from '../../../common/swagger-schema';

/** schemas/clearlinux/analytics-<view>.v1.json as a Swagger schema. */
export function analyticsSchema(view: 'builds' | 'stats' | 'mce' | 'thermal' | 'population'): SwaggerSchema {
  return swaggerSchema('clearlinux', `analytics-${view}.v1.json`);
}
