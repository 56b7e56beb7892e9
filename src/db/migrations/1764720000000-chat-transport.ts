// wechat_binding.transport: bindings keyed by (transport, contact), one per user and transport; existing rows are WeChat's.
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const TABLE = 'wechat_binding';

export class ChatTransport1764720000000 implements MigrationInterface {
  name = 'ChatTransport1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      TABLE,
      new TableColumn({
        name: 'transport',
        type: 'varchar',
        length: '32',
        default: "'wechat'",
        isNullable: false,
      }),
    );
    // user_id first: on MariaDB the new index also serves the foreign key on user_id, so the old
    // unique index can go.
    await q.createIndex(
      TABLE,
      new TableIndex({
        name: 'uq_wechat_binding_user_transport',
        columnNames: ['user_id', 'transport'],
        isUnique: true,
      }),
    );
    await q.createIndex(
      TABLE,
      new TableIndex({
        name: 'uq_wechat_binding_transport_alias',
        columnNames: ['transport', 'alias'],
        isUnique: true,
      }),
    );
    await q.createIndex(
      TABLE,
      new TableIndex({
        name: 'ix_wechat_binding_transport_contact',
        columnNames: ['transport', 'contact_id'],
      }),
    );
    await dropUnique(q, 'uq_wechat_binding_user');
    await dropUnique(q, 'uq_wechat_binding_alias');
    await q.dropIndex(TABLE, 'ix_wechat_binding_contact');
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to one binding per user: only WeChat's bindings fit the old keys.
    await q.query(`DELETE FROM ${TABLE} WHERE transport <> 'wechat'`);
    await q.createIndex(
      TABLE,
      new TableIndex({ name: 'uq_wechat_binding_user', columnNames: ['user_id'], isUnique: true }),
    );
    await q.createIndex(
      TABLE,
      new TableIndex({ name: 'uq_wechat_binding_alias', columnNames: ['alias'], isUnique: true }),
    );
    await q.createIndex(
      TABLE,
      new TableIndex({ name: 'ix_wechat_binding_contact', columnNames: ['contact_id'] }),
    );
    await q.dropIndex(TABLE, 'ix_wechat_binding_transport_contact');
    await q.dropIndex(TABLE, 'uq_wechat_binding_transport_alias');
    await q.dropIndex(TABLE, 'uq_wechat_binding_user_transport');
    await q.dropColumn(TABLE, 'transport');
  }
}

/** A unique key the first migration made as a table constraint (SQLite), or a unique index (MariaDB, or after down()). */
async function dropUnique(q: QueryRunner, name: string): Promise<void> {
  const table = await q.getTable(TABLE);
  const constraint = table?.uniques.some((u) => u.name === name);
  if (constraint && q.connection.options.type === 'better-sqlite3')
    await q.dropUniqueConstraint(TABLE, name);
  else await q.dropIndex(TABLE, name);
}
