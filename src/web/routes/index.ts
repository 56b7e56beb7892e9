// The explicit list of portal route modules; a duplicate name is refused at start-up.
import { createRegistry } from '../../registry';
import { adminOutboxRoutes } from './admin-outbox';
import { adminRoomsRoutes } from './admin-rooms';
import { adminSitesRoutes } from './admin-sites';
import { adminStatusRoutes } from './admin-status';
import { adminUsersRoutes } from './admin-users';
import { alarmsRoutes } from './alarms';
import { askRoutes } from './ask';
import { authRoutes } from './auth';
import { chartLinksRoutes } from './chart-links';
import { ingestRoutes } from './ingest';
import { reportRoutes } from './reports';
import { serverRoutes } from './server';
import { siteRoutes } from './site';
import { sitesRoutes } from './sites';
import type { WebRoute } from './types';

export const webRoutes: readonly WebRoute[] = createRegistry<WebRoute>('web route module', [
  authRoutes,
  sitesRoutes,
  siteRoutes,
  serverRoutes,
  reportRoutes,
  alarmsRoutes,
  ingestRoutes,
  adminUsersRoutes,
  adminSitesRoutes,
  adminRoomsRoutes,
  adminOutboxRoutes,
  adminStatusRoutes,
  chartLinksRoutes,
  askRoutes,
]).list();
