// kpi_ignored_day: business days marked as expected (holidays, cutovers), one row per (site, day), left out of the KPI baselines.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class KpiIgnoredDays1765065600000 implements MigrationInterface {
  name = 'KpiIgnoredDays1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'kpi_ignored_day',
        columns: [
          {
            name: 'id',
            // 'integer' (not 'int'): SQLite only auto-increments an INTEGER PRIMARY KEY.
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'site_id', type: 'int' },
          { name: 'day', type: 'varchar', length: '10' },
          { name: 'ignored_by', type: 'int' },
          { name: 'ignored_at', type: 'bigint' },
        ],
        uniques: [{ name: 'uq_kpi_ignored_site_day', columnNames: ['site_id', 'day'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('kpi_ignored_day');
  }
}
