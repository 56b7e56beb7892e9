// Unit tests for the engine-specific SQL builders (insert-ignore, upsert) and affectedRows.
import { affectedRows, insertIgnoreSql, upsertSql } from '../../src/db/dialect';

describe('insertIgnoreSql', () => {
  it('builds INSERT IGNORE with backquoted identifiers on MySQL', () => {
    expect(insertIgnoreSql('mysql', 'cpu_sample', ['server_id', 'sampled_at', 'user_pct'], 2)).toBe(
      'INSERT IGNORE INTO `cpu_sample` (`server_id`,`sampled_at`,`user_pct`) VALUES (?,?,?),(?,?,?)',
    );
  });

  it('builds INSERT OR IGNORE with double-quoted identifiers on SQLite', () => {
    expect(
      insertIgnoreSql('sqlite', 'cpu_sample', ['server_id', 'sampled_at', 'user_pct'], 2),
    ).toBe(
      'INSERT OR IGNORE INTO "cpu_sample" ("server_id","sampled_at","user_pct") VALUES (?,?,?),(?,?,?)',
    );
  });

  it('writes one placeholder group for one row', () => {
    expect(insertIgnoreSql('mysql', 't', ['a'], 1)).toBe('INSERT IGNORE INTO `t` (`a`) VALUES (?)');
    expect(insertIgnoreSql('sqlite', 't', ['a', 'b'], 1)).toBe(
      'INSERT OR IGNORE INTO "t" ("a","b") VALUES (?,?)',
    );
  });

  it('writes one placeholder group per row', () => {
    expect(insertIgnoreSql('sqlite', 't', ['a', 'b'], 4)).toBe(
      'INSERT OR IGNORE INTO "t" ("a","b") VALUES (?,?),(?,?),(?,?),(?,?)',
    );
  });
});

describe('upsertSql', () => {
  const cols = ['server_id', 'name', 'status', 'reported_at'];
  const key = ['server_id', 'name'];
  const update = ['status', 'reported_at'];

  it('uses ON DUPLICATE KEY UPDATE ... VALUES() on MySQL', () => {
    expect(upsertSql('mysql', 'server_node', cols, key, update, 2)).toBe(
      'INSERT INTO `server_node` (`server_id`,`name`,`status`,`reported_at`) VALUES (?,?,?,?),(?,?,?,?)' +
        ' ON DUPLICATE KEY UPDATE `status`=VALUES(`status`),`reported_at`=VALUES(`reported_at`)',
    );
  });

  it('uses ON CONFLICT (key) DO UPDATE SET ... excluded on SQLite', () => {
    expect(upsertSql('sqlite', 'server_node', cols, key, update, 2)).toBe(
      'INSERT INTO "server_node" ("server_id","name","status","reported_at") VALUES (?,?,?,?),(?,?,?,?)' +
        ' ON CONFLICT ("server_id","name") DO UPDATE SET "status"=excluded."status","reported_at"=excluded."reported_at"',
    );
  });

  it('handles a single key column, a single update column and one row', () => {
    expect(upsertSql('mysql', 'kv', ['k', 'v'], ['k'], ['v'], 1)).toBe(
      'INSERT INTO `kv` (`k`,`v`) VALUES (?,?) ON DUPLICATE KEY UPDATE `v`=VALUES(`v`)',
    );
    expect(upsertSql('sqlite', 'kv', ['k', 'v'], ['k'], ['v'], 1)).toBe(
      'INSERT INTO "kv" ("k","v") VALUES (?,?) ON CONFLICT ("k") DO UPDATE SET "v"=excluded."v"',
    );
  });
});

describe('affectedRows', () => {
  it('reads the affected count of a result', () => {
    expect(affectedRows({ affected: 3 })).toBe(3);
    expect(affectedRows({ affected: 0, raw: [] })).toBe(0);
  });

  it('gives 0 when the result carries no count', () => {
    expect(affectedRows({ affected: undefined })).toBe(0);
    expect(affectedRows({ raw: 5 })).toBe(0);
    expect(affectedRows(null)).toBe(0);
    expect(affectedRows(undefined)).toBe(0);
    expect(affectedRows(7)).toBe(0);
  });
});
