// The port the WeChat channel sends through: a chat transport's push side, filled in by the composition root with the bot.

/** One chat message: text, or a PNG with the text shown where images are not possible. */
export type ChatMessage =
  { kind: 'text'; text: string } | { kind: 'image'; png: Buffer; name: string; alt: string };

export interface ChatSender {
  /** The transport's login state; anything but 'online' means it cannot send now. */
  health(): { state: string };
  /**
   * Push to a room, found by its id when known (it survives a rename), else by its topic; resolves
   * once every message was delivered. Throws SitewatchError BOT_OFFLINE, NOTIFY_BAD_RECIPIENT (no
   * such room) or NOTIFY_SEND_FAILED.
   */
  sendToRoom(topic: string, roomId: string | null, messages: ChatMessage[]): Promise<void>;
  /** Push to the contact bound to a Sitewatch user (by login); errors as sendToRoom. */
  sendToUser(login: string, messages: ChatMessage[]): Promise<void>;
}
