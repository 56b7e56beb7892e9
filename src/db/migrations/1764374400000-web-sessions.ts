// Portal sessions, stored server-side.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class WebSessions1764374400000 implements MigrationInterface {
  name = 'WebSessions1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'web_session',
        columns: [
          { name: 'sid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'data', type: 'text' },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [{ name: 'ix_web_session_expires', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('web_session');
  }
}
