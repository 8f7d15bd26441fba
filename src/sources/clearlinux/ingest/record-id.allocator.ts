import { Injectable } from '@nestjs/common';
import { RecordsRepository } from '../records/records.repository';

const BLOCK = 64;

/**
 * Hands out record ids (clearlinux.md §6.1 `id`) from `clr_record_id_seq` in blocks, so ingest costs one sequence
 * round trip per 64 records. Ids increase in allocation order within a process; several processes
 * interleave blocks (ids stay unique, order is then approximately arrival order).
 */
@Injectable()
export class RecordIdAllocator {
  private ids: number[] = [];
  private refill: Promise<void> | undefined;

  constructor(private readonly records: RecordsRepository) {}

  async next(): Promise<number> {
    while (this.ids.length === 0) {
      this.refill ??= this.records
        .allocateIds(BLOCK)
        .then((ids) => {
          this.ids.push(...ids);
        })
        .finally(() => (this.refill = undefined));
      await this.refill;
    }
    return this.ids.shift()!;
  }
}
