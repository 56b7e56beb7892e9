// Answer to a server question: what 服务器 answers — details, latest readings, and the cpu and memory charts of the last 24 hours.
import { serverReplies } from '../server';
import { pickServer } from './common';
import type { IntentAnswer } from './types';

export const serverAnswer: IntentAnswer<'server'> = {
  kind: 'server',
  charts: () => true,
  async answer(intent, ctx) {
    const r = await pickServer(ctx, 'server', intent.server);
    if (!r.ok) return r.replies;
    return serverReplies(ctx, r.server, r.site);
  },
};
