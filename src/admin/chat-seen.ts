// The one write path of chat_seen: a chat (WeCom group by chatid, person by userid) talked to a transport's bot, so the bot may push to it.
import type { DataSource } from 'typeorm';
import { upsert } from '../db/bulk';
import { engineOf } from '../db/data-source';

export async function noteChatSeen(
  ds: DataSource,
  transport: string,
  chatId: string,
  chatType: 'group' | 'single',
  now: number,
): Promise<void> {
  await upsert(
    ds.manager,
    engineOf(ds),
    'chat_seen',
    ['transport', 'chat_id', 'chat_type', 'first_seen_at', 'last_seen_at'],
    ['transport', 'chat_id'],
    ['last_seen_at'],
    [[transport, chatId.slice(0, 128), chatType, now, now]],
  );
}
