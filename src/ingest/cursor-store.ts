// Load, create and persist ingest cursors (one per site, file kind and day).
import type { DataSource, EntityManager } from 'typeorm';
import { IngestCursor } from '../../entities';
import { insertIgnore } from '../db/bulk';
import { engineOf } from '../db/data-source';

export async function loadCursor(
  ds: DataSource,
  siteId: number,
  kind: string,
  day: string,
): Promise<IngestCursor> {
  const repo = ds.getRepository(IngestCursor);
  const found = await repo.findOne({ where: { siteId, kind, fileDate: day } });
  if (found) return found;
  await insertIgnore(
    ds.manager,
    engineOf(ds),
    'ingest_cursor',
    [
      'site_id',
      'kind',
      'file_date',
      'byte_offset',
      'line_no',
      'head_len',
      'tail_len',
      'state',
      'resets',
      'bytes_read',
      'rows_inserted',
      'rows_duplicate',
      'rows_quarantined',
    ],
    [[siteId, kind, day, 0, 0, 0, 0, 'open', 0, 0, 0, 0, 0]],
  );
  return repo.findOneOrFail({ where: { siteId, kind, fileDate: day } });
}

export async function saveCursor(em: EntityManager, c: IngestCursor): Promise<void> {
  const { id, ...rest } = c;
  await em.getRepository(IngestCursor).update({ id }, rest);
}
