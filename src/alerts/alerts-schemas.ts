import { Injectable } from '@nestjs/common';
import { DirectorySchemas } from '../common/directory-schemas';

export type AlertsSchemaId = 'alerts/rule.v1' | 'alerts/channel.v1';

/** Every `schemas/alerts/*.json` (rule and channel bodies of the admin API and console forms). */
@Injectable()
export class AlertsSchemas extends DirectorySchemas<AlertsSchemaId> {
  constructor() {
    super('alerts');
  }
}
