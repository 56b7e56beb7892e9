// Callers and rooms of a transport's messages from the database: bindings keyed by (transport, contact), rooms by subscription.
import type { DataSource } from 'typeorm';
import { findCallerByContact, findUserByLogin } from '../admin/chat-bindings';
import { roomSiteIds } from '../admin/rooms';
import type { ChatDirectory } from './transport';

/** A chat transport's directory: callers through its bindings, rooms through the room subscriptions. */
export function dbResolvers(ds: DataSource, transport: string): ChatDirectory {
  return {
    resolveCaller: (c) =>
      findCallerByContact(ds, { transport, contactId: c.id, alias: c.alias, name: c.name }),
    resolveRoom: async (r) => ({
      transport,
      id: r.id,
      topic: r.topic,
      siteIds: await roomSiteIds(ds, transport, r.topic, r.id),
    }),
  };
}

/** The console's directory: the person is the user named by `--as` (whoever runs the CLI has the database); no rooms. */
export function loginResolvers(ds: DataSource): ChatDirectory {
  return {
    resolveCaller: (p) => findUserByLogin(ds, p.id),
    resolveRoom: async () => null,
  };
}
