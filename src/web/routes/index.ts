// The explicit list of portal route modules; a duplicate name is refused at start-up.
import { createRegistry } from '../../registry';
import { authRoutes } from './auth';
import { sitesRoutes } from './sites';
import type { WebRoute } from './types';

export const webRoutes: readonly WebRoute[] = createRegistry<WebRoute>('web route module', [
  authRoutes,
  sitesRoutes,
]).list();
