// web_session.user_id: the signed-in user beside the session JSON, so that a user's sessions are ended by id.
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Sessions read per step when filling the column in. */
const BATCH = 500;

/** The user id in a session's JSON as the store wrote it ({"user":{"id":N,…}}), or null. */
function userIdIn(data: string): number | null {
  try {
    const id = (JSON.parse(data) as { user?: { id?: unknown } } | null)?.user?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
  } catch {
    return null;
  }
}

export class WebSessionUser1764633600000 implements MigrationInterface {
  name = 'WebSessionUser1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'web_session',
      new TableColumn({ name: 'user_id', type: 'int', isNullable: true }),
    );
    await q.createIndex(
      'web_session',
      new TableIndex({ name: 'ix_web_session_user', columnNames: ['user_id'] }),
    );
    // Sessions signed in before the column: a password reset must end them too. Parsed here rather
    // than with JSON functions in SQL, which differ between the engines.
    let after = '';
    for (;;) {
      const rows = (await q.query(
        `SELECT sid, data FROM web_session WHERE sid > ? ORDER BY sid LIMIT ${BATCH}`,
        [after],
      )) as { sid: string; data: string }[];
      if (rows.length === 0) break;
      const byUser = new Map<number, string[]>();
      for (const r of rows) {
        const id = userIdIn(r.data);
        if (id !== null) byUser.set(id, [...(byUser.get(id) ?? []), r.sid]);
      }
      for (const [id, sids] of byUser)
        await q.query(
          `UPDATE web_session SET user_id = ? WHERE sid IN (${sids.map(() => '?').join(',')})`,
          [id, ...sids],
        );
      after = rows[rows.length - 1].sid;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('web_session', 'ix_web_session_user');
    await q.dropColumn('web_session', 'user_id');
  }
}
