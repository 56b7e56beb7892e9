// Answer to a status question: exactly what 状态 answers for each site named (the same code), or for the only site the request sees.
import { siteStatusReplies } from '../status';
import type { Reply } from '../types';
import { pickSites } from './common';
import type { IntentAnswer } from './types';

export const statusAnswer: IntentAnswer<'status'> = {
  kind: 'status',
  charts: () => true,
  async answer(intent, ctx) {
    const picked = await pickSites(ctx, 'status', intent.sites, { none: 'one' });
    if (!picked.ok) return picked.replies;
    const replies: Reply[] = [];
    for (const site of picked.sites) replies.push(...(await siteStatusReplies(ctx, site)));
    return replies;
  },
};
