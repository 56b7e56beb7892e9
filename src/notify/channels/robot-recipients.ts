// How the webhook robot channels (WeCom, DingTalk, Feishu group robots) pick recipients: every robot whose sites include the notice's site ('*': all), and every robot for admins' notices.
import type { ChannelRecipients } from '../../queries/recipients';

/** A configured robot: its name (the outbox recipient) and the site codes its group watches. */
export interface SiteRobot {
  name: string;
  sites: readonly string[];
}

/** The recipients of a list of robots; null (the channel is not configured) when there are none. */
export function robotRecipients(robots: readonly SiteRobot[]): ChannelRecipients | null {
  if (robots.length === 0) return null;
  return {
    site: async (_em, sites) =>
      robots.flatMap((robot) =>
        sites
          .filter((s) => robot.sites.includes('*') || robot.sites.includes(s.code))
          .map((s) => ({ siteId: s.id, recipient: robot.name })),
      ),
    admins: async () => robots.map((r) => r.name),
  };
}
