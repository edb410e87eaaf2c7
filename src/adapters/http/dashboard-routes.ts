import express, { type Router } from 'express';
import type { DashboardQueries } from '../admin/dashboard-queries.js';
import { requireAdminToken } from './admin-auth.js';
import { dashboardPage } from './views/dashboard-page.js';

/** `GET /dashboard` (admin token as Bearer or `?token=`): the study at a glance. */
export function dashboardRoutes(queries: DashboardQueries, adminToken: string, now: () => Date): Router {
  const router = express.Router();
  router.get('/dashboard', requireAdminToken(adminToken, { allowQueryToken: true }), (_req, res) => {
    // The page names records and outcomes; keep it out of shared caches.
    const at = now();
    res.set('Cache-Control', 'no-store').type('html').send(dashboardPage(queries.read(), at.toISOString(), queries.trends(at)));
  });
  return router;
}
