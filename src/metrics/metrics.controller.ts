import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Metrics } from './metrics';
import { PublicReadRoute, RequiresRole } from '../auth/roles';

@ApiTags('platform')
@RequiresRole('viewer')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @PublicReadRoute('metrics')
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition' })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
