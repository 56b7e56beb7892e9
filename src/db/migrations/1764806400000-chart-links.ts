// chart_link: each notice's chart as PNG, once per notice (by the payload's sha1), for the portal's signed, expiring chart links.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class ChartLinks1764806400000 implements MigrationInterface {
  name = 'ChartLinks1764806400000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'better-sqlite3';
    await q.createTable(
      new Table({
        name: 'chart_link',
        columns: [
          {
            name: 'id',
            // 'integer' (not 'int'): SQLite only auto-increments an INTEGER PRIMARY KEY.
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'digest', type: 'varchar', length: '40' },
          // MariaDB's BLOB holds only 64 KiB, less than a large chart; MEDIUMBLOB holds 16 MiB.
          { name: 'png', type: sqlite ? 'blob' : 'mediumblob' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
        uniques: [{ name: 'uq_chart_link_digest', columnNames: ['digest'] }],
        indices: [{ name: 'ix_chart_link_expires', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('chart_link');
  }
}
