import { swaggerSchema } from '../../common/swagger-schema';

/** The JSON Schemas of schemas/clearlinux/ that document routes in Swagger (the analytics views have their own file). */
export const recordSchema = swaggerSchema('clearlinux', 'record.v1.json');
export const recordsResponseSchema = swaggerSchema('clearlinux', 'records-response.v1.json');
export const neverGuiltyEditSchema = swaggerSchema('clearlinux', 'never-guilty-edit.v1.json');
export const topGuiltyResponseSchema = swaggerSchema('clearlinux', 'top-guilty-response.v1.json');
