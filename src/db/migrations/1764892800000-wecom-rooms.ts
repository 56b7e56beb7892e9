// room_subscription.transport (a WeCom chatid and a WeChat topic are different rooms) and chat_seen: the chats that talked to a transport's bot, which WeCom alone lets it push to.
import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const TABLE = 'room_subscription';

export class WecomRooms1764892800000 implements MigrationInterface {
  name = 'WecomRooms1764892800000';

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
    await q.createIndex(
      TABLE,
      new TableIndex({
        name: 'uq_room_subscription_transport',
        columnNames: ['transport', 'room_topic', 'site_id'],
        isUnique: true,
      }),
    );
    const table = await q.getTable(TABLE);
    if (table?.uniques.some((u) => u.name === 'uq_room_subscription'))
      await q.dropUniqueConstraint(TABLE, 'uq_room_subscription');
    else await q.dropIndex(TABLE, 'uq_room_subscription');
    await q.createTable(
      new Table({
        name: 'chat_seen',
        columns: [
          { name: 'transport', type: 'varchar', length: '32', isPrimary: true },
          { name: 'chat_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'chat_type', type: 'varchar', length: '16' },
          { name: 'first_seen_at', type: 'bigint' },
          { name: 'last_seen_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('chat_seen');
    // Back to one namespace of rooms: only WeChat's subscriptions fit the old key.
    await q.query(`DELETE FROM ${TABLE} WHERE transport <> 'wechat'`);
    await q.createIndex(
      TABLE,
      new TableIndex({
        name: 'uq_room_subscription',
        columnNames: ['room_topic', 'site_id'],
        isUnique: true,
      }),
    );
    await q.dropIndex(TABLE, 'uq_room_subscription_transport');
    await q.dropColumn(TABLE, 'transport');
  }
}
