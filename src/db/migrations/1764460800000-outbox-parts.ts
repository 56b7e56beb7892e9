// Outbox progress: how many parts of a message (text, then image) were delivered, so a retry sends only the rest.
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

export class OutboxParts1764460800000 implements MigrationInterface {
  name = 'OutboxParts1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'outbox',
      new TableColumn({ name: 'parts_sent', type: 'int', default: 0, isNullable: false }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbox', 'parts_sent');
  }
}
