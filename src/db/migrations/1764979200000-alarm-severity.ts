// alarm.severity: an alarm's own severity when a Sitewatch check judges it (a disk full within a day is critical), else the dictionary's for its name.
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

export class AlarmSeverity1764979200000 implements MigrationInterface {
  name = 'AlarmSeverity1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'alarm',
      new TableColumn({ name: 'severity', type: 'varchar', length: '16', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('alarm', 'severity');
  }
}
