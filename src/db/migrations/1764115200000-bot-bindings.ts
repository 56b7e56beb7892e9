// Bot tables: WeChat contact bindings, one-time bind codes, and the sites attached to group rooms.
import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

const fk = (from: string, column: string, table: string) =>
  new TableForeignKey({
    name: `fk_${from}_${column}`,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

export class BotBindings1764115200000 implements MigrationInterface {
  name = 'BotBindings1764115200000';

  async up(q: QueryRunner): Promise<void> {
    const id = {
      name: 'id',
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment' as const,
    };
    await q.createTable(
      new Table({
        name: 'wechat_binding',
        columns: [
          id,
          { name: 'user_id', type: 'int' },
          // Contact ids change between logins; the alias set at binding time finds the contact again.
          { name: 'alias', type: 'varchar', length: '64' },
          { name: 'contact_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'contact_name', type: 'varchar', length: '128' },
          { name: 'bound_at', type: 'bigint' },
          { name: 'last_seen_at', type: 'bigint', isNullable: true },
        ],
        uniques: [
          { name: 'uq_wechat_binding_user', columnNames: ['user_id'] },
          { name: 'uq_wechat_binding_alias', columnNames: ['alias'] },
        ],
        indices: [{ name: 'ix_wechat_binding_contact', columnNames: ['contact_id'] }],
        foreignKeys: [fk('wechat_binding', 'user_id', 'user')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bind_code',
        columns: [
          id,
          { name: 'user_id', type: 'int' },
          // Only a hash is stored: a leaked database does not leak usable codes.
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'used_at', type: 'bigint', isNullable: true },
          { name: 'created_at', type: 'bigint' },
        ],
        uniques: [{ name: 'uq_bind_code_hash', columnNames: ['code_hash'] }],
        foreignKeys: [fk('bind_code', 'user_id', 'user')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'room_subscription',
        columns: [
          id,
          // Room ids change between logins too; the topic finds the room again.
          { name: 'room_topic', type: 'varchar', length: '255' },
          { name: 'room_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'site_id', type: 'int' },
          { name: 'created_by', type: 'int' },
          { name: 'created_at', type: 'bigint' },
        ],
        uniques: [{ name: 'uq_room_subscription', columnNames: ['room_topic', 'site_id'] }],
        foreignKeys: [
          fk('room_subscription', 'site_id', 'site'),
          fk('room_subscription', 'created_by', 'user'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['room_subscription', 'bind_code', 'wechat_binding']) await q.dropTable(t);
  }
}
