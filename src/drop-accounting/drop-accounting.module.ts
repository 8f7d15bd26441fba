import { Module } from '@nestjs/common';
import { NodesModule } from '../sources/nodes/nodes.module';
import { SubmissionsModule } from '../sources/submissions/submissions.module';
import { DropAccountingController } from './drop-accounting.controller';

@Module({ imports: [SubmissionsModule, NodesModule], controllers: [DropAccountingController] })
export class DropAccountingModule {}
