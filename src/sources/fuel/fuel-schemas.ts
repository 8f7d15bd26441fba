import { Injectable } from '@nestjs/common';
import { DirectorySchemas } from '../../common/directory-schemas';

export type FuelSchemaId =
  | 'fuel/action-logs-request.v1'
  | 'fuel/action-logs-response.v1'
  | 'fuel/failure-report-request.v1'
  | 'fuel/failure-report-response.v1'
  | 'fuel/installation-structure-request.v1'
  | 'fuel/oswl-stats-request.v1'
  | 'fuel/oswl-stats-response.v1'
  | 'fuel/ostf-runs-request.v1'
  | 'fuel/ostf-runs-response.v1'
  | 'fuel/ok-response.v1'
  | 'fuel/error-response.v1'
  | 'fuel/installation-info-response.v1'
  | 'fuel/installation-infos-filtered-response.v1'
  | 'fuel/oswls-response.v1'
  | 'fuel/action-logs-export-response.v1'
  | 'fuel/summary-response.v1';

/** Every `schemas/fuel/*.json`; `assert` throws InvalidInput (400) naming the failing pointer and rule (fuelstats.md §2.1). */
@Injectable()
export class FuelSchemas extends DirectorySchemas<FuelSchemaId> {
  constructor() {
    super('fuel');
  }
}
