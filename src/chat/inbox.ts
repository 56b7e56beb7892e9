// The message path every transport shares: who wrote (its bindings), which room (its subscriptions), then the handler's replies.
import type { ChatDirectory, ChatInbox, MessageHandler } from './transport';

/** What a person reads when their message could not be handled (the transport sends it instead). */
export const HANDLER_FAILED_TEXT = '抱歉，处理您的消息时出错了，请稍后再试。';

/** The inbox of one transport: it rejects when handling failed, and the transport says so in its own way. */
export function createChatInbox(
  o: ChatDirectory & { transport: string; handle: MessageHandler },
): ChatInbox {
  return async (m) => {
    const caller = await o.resolveCaller(m.from);
    const room = m.room ? await o.resolveRoom(m.room) : null;
    return o.handle(m.text, caller, room, {
      transport: o.transport,
      contactId: m.from.id,
      contactName: m.from.name,
      contactAlias: m.from.alias,
      roomTopic: m.room?.topic ?? null,
      setAlias: m.setAlias,
      working: m.working,
    });
  };
}
