// transport_status: each hub's last reported health of each chat transport it runs, keyed by (hub, transport).
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class TransportStatus1764849600000 implements MigrationInterface {
  name = 'TransportStatus1764849600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'transport_status',
        columns: [
          { name: 'hub', type: 'varchar', length: '128', isPrimary: true },
          { name: 'transport', type: 'varchar', length: '32', isPrimary: true },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'since', type: 'bigint', isNullable: true },
          { name: 'holder', type: 'varchar', length: '128', isNullable: true },
          { name: 'last_message_at', type: 'bigint', isNullable: true },
          { name: 'queue_length', type: 'int' },
          { name: 'restarts', type: 'int' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('transport_status');
  }
}
