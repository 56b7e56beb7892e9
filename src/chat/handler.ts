// What the bot does with a message on any transport: bind codes, the binding hint for strangers, and the command router.
import type { DataSource } from 'typeorm';
import { loggedText } from '../../commands/log-text';
import type { CommandRouter } from '../../commands/router';
import { normaliseText } from '../../commands/router';
import type { Reply } from '../../commands/types';
import { redeemBindCode } from '../admin/bind-codes';
import type { Logger } from '../log';
import { bindContact } from '../admin/chat-bindings';
import type { MessageHandler } from './transport';

export const UNBOUND_HINT =
  '您还没有绑定 Sitewatch 账号。请向管理员索取绑定码，然后私聊我发送：绑定 <绑定码>';
export const BIND_IN_ROOM = '请私聊我发送绑定码，不要在群里发送。';
export const BIND_FAILED = '绑定码无效或已过期，请向管理员索取新的绑定码。';

const text = (t: string): Reply[] => [{ kind: 'text', text: t }];
const BIND_RE = /^(绑定|bind)(?:\s+|$)(.*)$/i;

export function createMessageHandler(deps: {
  ds: DataSource;
  router: CommandRouter;
  log: Logger;
  now: () => number;
  /** False where people are known without a binding (the console's --as): there 绑定 is text like any other. */
  bindCodes?: boolean;
}): MessageHandler {
  const bindCodes = deps.bindCodes ?? true;
  return async (raw, caller, room, meta) => {
    const msg = normaliseText(raw);
    const bind = bindCodes ? BIND_RE.exec(msg) : null;
    if (bind) {
      if (room) return text(BIND_IN_ROOM);
      const user = await redeemBindCode(deps.ds, bind[2], deps.now());
      if (!user) {
        deps.log.warn(
          { contact: meta.contactName, contactId: meta.contactId },
          'bind refused: bad code',
        );
        return text(BIND_FAILED);
      }
      const { alias } = await bindContact(
        deps.ds,
        user.id,
        { transport: meta.transport, id: meta.contactId, name: meta.contactName },
        deps.now(),
      );
      await meta.setAlias(alias);
      deps.log.info({ login: user.login, contact: meta.contactName }, 'contact bound');
      return text(`绑定成功：${user.displayName}（${user.login}）。发送“帮助”查看可用命令。`);
    }
    if (!caller) {
      // No data for strangers, in a room or not; the refusal is logged with who asked what.
      deps.log.warn(
        { contact: meta.contactName, room: meta.roomTopic, text: loggedText(msg) },
        'refused: contact not bound',
      );
      return text(UNBOUND_HINT);
    }
    // A direct chat is one conversation; in a room, each person is one.
    const conversation = `${meta.transport}:${room ? `room:${room.id}` : 'direct'}:${caller.login}`;
    return deps.router.handle(msg, caller, room, { conversation, working: meta.working });
  };
}
