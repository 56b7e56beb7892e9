// Login rate limits in the database, shared by every hub (they were kept in each hub's memory).
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class LoginAttempts1764547200000 implements MigrationInterface {
  name = 'LoginAttempts1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'login_attempt',
        columns: [
          { name: 'key_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'hits', type: 'int' },
          { name: 'window_start', type: 'bigint' },
        ],
        indices: [{ name: 'ix_login_attempt_window', columnNames: ['window_start'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('login_attempt');
  }
}
