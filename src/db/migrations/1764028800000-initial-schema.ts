// Initial schema, written with the QueryRunner Table API so that it runs unchanged on MySQL/MariaDB and SQLite.
import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumnOptions,
  TableForeignKey,
} from 'typeorm';

const id = (): TableColumnOptions => ({
  name: 'id',
  // 'integer' (not 'int'): SQLite only auto-increments an INTEGER PRIMARY KEY; MySQL maps it to INT.
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
const int = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'int',
  isNullable,
});
const big = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable,
});
const dbl = (name: string): TableColumnOptions => ({ name, type: 'double' });
const str = (
  name: string,
  length: number,
  isNullable = false,
  dflt?: string,
): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
  ...(dflt !== undefined ? { default: `'${dflt}'` } : {}),
});
const text = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable,
});

const fk = (from: string, column: string, table: string): TableForeignKey =>
  new TableForeignKey({
    // Constraint names are unique per database on MySQL, so they carry the referencing table.
    name: `fk_${from}_${column}`.slice(0, 60),
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

const INITIAL_TABLES = [
  'site',
  'user',
  'user_site',
  'server',
  'server_node',
  'cpu_sample',
  'mem_sample',
  'disk_sample',
  'business_daily',
  'alarm',
  'ingest_cursor',
  'ingest_error',
];

export class InitialSchema1764028800000 implements MigrationInterface {
  name = 'InitialSchema1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'site',
        columns: [
          id(),
          str('code', 64),
          str('name', 128),
          str('base_url', 1024),
          str('encoding', 16, false, 'auto'),
          str('timezone', 64, true),
          { name: 'enabled', type: 'boolean', default: true },
          str('auth_token', 255, true),
          big('created_at'),
          big('last_ingest_at', true),
          big('last_success_at', true),
          text('last_error', true),
          big('last_error_at', true),
          text('last_counts', true),
        ],
        uniques: [{ name: 'uq_site_code', columnNames: ['code'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'user',
        columns: [
          id(),
          str('login', 64),
          str('display_name', 128),
          str('email', 255, true),
          str('role', 16),
          str('password_hash', 255),
          big('created_at'),
        ],
        uniques: [{ name: 'uq_user_login', columnNames: ['login'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'user_site',
        columns: [
          { ...int('user_id'), isPrimary: true },
          { ...int('site_id'), isPrimary: true },
        ],
        indices: [{ name: 'ix_user_site_site', columnNames: ['site_id'] }],
        foreignKeys: [fk('user_site', 'user_id', 'user'), fk('user_site', 'site_id', 'site')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'server',
        columns: [
          id(),
          int('site_id'),
          str('name', 128),
          str('ip', 64),
          str('os_name', 128, true),
          str('os_version', 128, true),
          big('uptime_seconds', true),
          big('uptime_at', true),
          big('first_seen_at'),
          big('last_seen_at', true),
        ],
        uniques: [{ name: 'uq_server_site_name', columnNames: ['site_id', 'name'] }],
        indices: [{ name: 'ix_server_ip', columnNames: ['ip'] }],
        foreignKeys: [fk('server', 'site_id', 'site')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'server_node',
        columns: [id(), int('server_id'), str('name', 128), str('status', 16), big('reported_at')],
        uniques: [{ name: 'uq_server_node', columnNames: ['server_id', 'name'] }],
        foreignKeys: [fk('server_node', 'server_id', 'server')],
      }),
    );
    // Sample tables: the natural key is the primary key, so "latest sample of a server" and
    // "a server's samples over a range" are both range scans of the clustered index. They carry
    // no foreign key: a per-row parent check costs a third of MariaDB's bulk-load rate on the
    // largest tables, and the only writer (ingest) takes server ids from the server table.
    // Nothing deletes servers today; whatever comes to delete them must delete their samples first.
    await q.createTable(
      new Table({
        name: 'cpu_sample',
        columns: [
          { ...int('server_id'), isPrimary: true },
          { ...big('sampled_at'), isPrimary: true },
          dbl('user_pct'),
          dbl('sys_pct'),
          dbl('io_pct'),
          dbl('idle_pct'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mem_sample',
        columns: [
          { ...int('server_id'), isPrimary: true },
          { ...big('sampled_at'), isPrimary: true },
          big('used_bytes'),
          big('free_bytes'),
          big('buffer_bytes'),
          big('total_bytes'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'disk_sample',
        columns: [
          { ...int('server_id'), isPrimary: true },
          { ...big('sampled_at'), isPrimary: true },
          { ...str('mount', 255), isPrimary: true },
          big('used_bytes'),
          big('total_bytes'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'business_daily',
        columns: [
          id(),
          int('site_id'),
          str('stat_date', 10),
          big('sub_users'),
          big('unsub_users'),
          big('total_users'),
          big('call_times'),
          big('show_times'),
          big('mo_times'),
          big('mt_times'),
          big('recorded_at'),
          big('updated_at'),
        ],
        uniques: [{ name: 'uq_business_site_date', columnNames: ['site_id', 'stat_date'] }],
        foreignKeys: [fk('business_daily', 'site_id', 'site')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'alarm',
        columns: [
          id(),
          int('site_id'),
          str('name', 128),
          str('node', 128),
          str('description', 1024),
          big('raised_at'),
          big('resumed_at', true),
          str('state', 16),
          big('last_seen_at'),
          big('created_at'),
          big('updated_at'),
        ],
        uniques: [{ name: 'uq_alarm_key', columnNames: ['site_id', 'name', 'node', 'raised_at'] }],
        indices: [{ name: 'ix_alarm_site_state', columnNames: ['site_id', 'state', 'raised_at'] }],
        foreignKeys: [fk('alarm', 'site_id', 'site')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ingest_cursor',
        columns: [
          id(),
          int('site_id'),
          str('kind', 32),
          str('file_date', 8),
          big('byte_offset'),
          int('line_no'),
          str('etag', 255, true),
          str('last_modified', 64, true),
          big('file_size', true),
          str('head_hash', 64, true),
          int('head_len'),
          str('tail_hash', 64, true),
          int('tail_len'),
          str('encoding', 16, true),
          str('state', 16),
          int('resets'),
          big('last_fetch_at', true),
          str('last_status', 32, true),
          text('last_error', true),
          big('bytes_read'),
          big('rows_inserted'),
          big('rows_duplicate'),
          big('rows_quarantined'),
        ],
        uniques: [{ name: 'uq_cursor_file', columnNames: ['site_id', 'kind', 'file_date'] }],
        foreignKeys: [fk('ingest_cursor', 'site_id', 'site')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ingest_error',
        columns: [
          id(),
          int('site_id'),
          str('kind', 32),
          str('file_date', 8),
          str('file', 128),
          int('line_no'),
          text('raw'),
          str('reason', 255),
          big('created_at'),
        ],
        uniques: [
          {
            name: 'uq_ingest_error_line',
            columnNames: ['site_id', 'kind', 'file_date', 'line_no'],
          },
        ],
        indices: [{ name: 'ix_ingest_error_site_time', columnNames: ['site_id', 'created_at'] }],
        foreignKeys: [fk('ingest_error', 'site_id', 'site')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The table list is frozen here as it was when this migration was written.
    for (const t of [...INITIAL_TABLES].reverse()) {
      await q.dropTable(t);
    }
  }
}
