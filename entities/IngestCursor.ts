// Where incremental ingest of one (site, file kind, day) stands, and how its last fetch went.
import { Column, Entity, Unique, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

export type CursorState = 'open' | 'done' | 'missing';

@Entity('ingest_cursor')
@Unique('uq_cursor_file', ['siteId', 'kind', 'fileDate'])
export class IngestCursor {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** YYYYMMDD, the day in the file name. */
  @Column({ name: 'file_date', type: 'varchar', length: 8 })
  fileDate: string;

  /** Byte offset just past the last complete line consumed. */
  @Column({ name: 'byte_offset', type: 'bigint', transformer: bigintNumber })
  byteOffset: number;

  /** Number of lines consumed (the next line's number is this plus one). */
  @Column({ name: 'line_no', type: 'int' })
  lineNo: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  etag: string | null;

  @Column({ name: 'last_modified', type: 'varchar', length: 64, nullable: true })
  lastModified: string | null;

  @Column({ name: 'file_size', type: 'bigint', nullable: true, transformer: bigintNumber })
  fileSize: number | null;

  /** sha256 of the first head_len bytes of the file. */
  @Column({ name: 'head_hash', type: 'varchar', length: 64, nullable: true })
  headHash: string | null;

  @Column({ name: 'head_len', type: 'int' })
  headLen: number;

  /** sha256 of the tail_len bytes just before byte_offset; re-read on each fetch to detect rewrites. */
  @Column({ name: 'tail_hash', type: 'varchar', length: 64, nullable: true })
  tailHash: string | null;

  @Column({ name: 'tail_len', type: 'int' })
  tailLen: number;

  /** Encoding detected on the first read, kept for later fetches of the same file. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  encoding: string | null;

  @Column({ type: 'varchar', length: 16 })
  state: CursorState;

  @Column({ name: 'resets', type: 'int' })
  resets: number;

  @Column({ name: 'last_fetch_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastFetchAt: number | null;

  /** Outcome of the last fetch: http status or a word such as 'missing', 'unchanged', 'error'. */
  @Column({ name: 'last_status', type: 'varchar', length: 32, nullable: true })
  lastStatus: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'bytes_read', type: 'bigint', transformer: bigintNumber })
  bytesRead: number;

  @Column({ name: 'rows_inserted', type: 'bigint', transformer: bigintNumber })
  rowsInserted: number;

  @Column({ name: 'rows_duplicate', type: 'bigint', transformer: bigintNumber })
  rowsDuplicate: number;

  @Column({ name: 'rows_quarantined', type: 'bigint', transformer: bigintNumber })
  rowsQuarantined: number;
}
