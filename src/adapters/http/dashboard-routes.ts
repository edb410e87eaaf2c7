import express, { type Router } from 'express';
import type { DashboardQueries } from '../../ports/storage/admin-reads.js';
import { requireAdminToken } from './admin-auth.js';
import { dashboardPage } from './views/dashboard-page.js';

/** `GET /dashboard` (admin token as Bearer or `?token=`): the study at a glance. */
export function dashboardRoutes(queries: DashboardQueries, adminToken: string, now: () => Date): Router {
  const router = express.Router();
  router.get('/dashboard', requireAdminToken(adminToken, { allowQueryToken: true }), async (_req, res) => {
    // The page names records and outcomes; keep it out of shared caches.
    const at = now();
    const [data, trends] = await Promise.all([queries.read(), queries.trends(at)]);
    res.set('Cache-Control', 'no-store').type('html').send(dashboardPage(data, at.toISOString(), trends));
  });
  return router;
}
