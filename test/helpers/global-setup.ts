// Probes MariaDB once for the whole run; suites read the answer from the environment.
import { createConnection } from 'mysql2/promise';
import { isCi, testMysqlUrl } from '../../config/schema';
import { parseDbUrl } from '../../src/db/data-source';

export default async function globalSetup(): Promise<void> {
  const url = testMysqlUrl();
  const p = parseDbUrl(url);
  try {
    const c = await createConnection({
      host: p.host,
      port: p.port,
      user: p.user,
      password: p.password,
      database: p.database,
      connectTimeout: 3000,
    });
    await c.end();
    process.env.SITEWATCH_TEST_MYSQL_OK = '1';
  } catch (err) {
    process.env.SITEWATCH_TEST_MYSQL_OK = '0';
    const line = '!'.repeat(78);
    const msg = `MariaDB at ${url} is not reachable (${(err as Error).message}).`;
    if (isCi()) {
      process.stderr.write(
        `\n${line}\n${msg}\nUnder CI=true the MySQL suites FAIL instead of skipping.\n${line}\n`,
      );
    } else {
      process.stderr.write(
        `\n${line}\n${msg}\nMySQL suites are SKIPPED: only SQLite was tested. Start MariaDB to test both.\n${line}\n`,
      );
    }
  }
}
