// Alarm delivery tables: the outbox, hub leases and silences; alarm acks/reminders and user notification choices.
import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableColumnOptions,
  TableForeignKey,
} from 'typeorm';

const fk = (from: string, column: string, table: string) =>
  new TableForeignKey({
    name: `fk_${from}_${column}`,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};

export class Notifications1764288000000 implements MigrationInterface {
  name = 'Notifications1764288000000';

  async up(q: QueryRunner): Promise<void> {
    // A grouped message may list a few hundred alarms: MySQL's TEXT (64 KB) could be too small.
    const longText = q.connection.options.type === 'better-sqlite3' ? 'text' : 'mediumtext';
    await q.createTable(
      new Table({
        name: 'outbox',
        columns: [
          id,
          { name: 'channel', type: 'varchar', length: '32' },
          { name: 'recipient', type: 'varchar', length: '255' },
          // sha256 of (event, channel, recipient): the same event is never queued twice for one recipient.
          { name: 'dedupe_key', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'site_id', type: 'int', isNullable: true },
          { name: 'payload', type: longText },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'next_try_at', type: 'bigint' },
          { name: 'claimed_by', type: 'varchar', length: '128', isNullable: true },
          { name: 'claimed_until', type: 'bigint', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
          { name: 'sent_at', type: 'bigint', isNullable: true },
        ],
        uniques: [{ name: 'uq_outbox_dedupe', columnNames: ['dedupe_key'] }],
        indices: [
          { name: 'ix_outbox_due', columnNames: ['status', 'next_try_at'] },
          { name: 'ix_outbox_site', columnNames: ['site_id', 'created_at'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'job_lease',
        columns: [
          { name: 'name', type: 'varchar', length: '191', isPrimary: true },
          { name: 'owner', type: 'varchar', length: '128' },
          { name: 'expires_at', type: 'bigint' },
          // The scheduled slot (fire minute) last completed: another hub firing the same slot skips it.
          { name: 'done_slot', type: 'bigint', default: 0 },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'silence',
        columns: [
          id,
          { name: 'site_id', type: 'int' },
          // null: every alarm of the site.
          { name: 'alarm_name', type: 'varchar', length: '128', isNullable: true },
          { name: 'starts_at', type: 'bigint' },
          { name: 'ends_at', type: 'bigint' },
          { name: 'created_by', type: 'int' },
          { name: 'created_at', type: 'bigint' },
          { name: 'cancelled_at', type: 'bigint', isNullable: true },
        ],
        indices: [{ name: 'ix_silence_site', columnNames: ['site_id', 'ends_at'] }],
        foreignKeys: [fk('silence', 'site_id', 'site'), fk('silence', 'created_by', 'user')],
      }),
    );
    await q.addColumns('alarm', [
      // 'site': read from a site's files; 'sitewatch': raised by Sitewatch's own checks.
      new TableColumn({ name: 'source', type: 'varchar', length: '16', default: "'site'" }),
      new TableColumn({ name: 'acked_by', type: 'int', isNullable: true }),
      new TableColumn({ name: 'acked_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'notified_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'reminders_sent', type: 'int', default: 0 }),
      new TableColumn({ name: 'last_reminded_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'escalated_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'stale_at', type: 'bigint', isNullable: true }),
    ]);
    await q.addColumns('user', [
      new TableColumn({ name: 'notify_email', type: 'boolean', default: true }),
      new TableColumn({ name: 'notify_wechat', type: 'boolean', default: false }),
      new TableColumn({ name: 'report_email', type: 'boolean', default: false }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['report_email', 'notify_wechat', 'notify_email'])
      await q.dropColumn('user', c);
    for (const c of [
      'stale_at',
      'escalated_at',
      'last_reminded_at',
      'reminders_sent',
      'notified_at',
      'acked_at',
      'acked_by',
      'source',
    ])
      await q.dropColumn('alarm', c);
    for (const t of ['silence', 'job_lease', 'outbox']) await q.dropTable(t);
  }
}
