import express, { type Router } from 'express';
import { z } from 'zod';
import type { DataEntryTrigger, DetOutcome } from '../../ports/engine.js';
import type { Logger } from '../../ports/logger.js';
import { FORM_LIMIT_BYTES, formBody } from './form-body.js';
import { HttpError } from './http-error.js';

/**
 * `POST /webhooks/redcap/det`: REDCap's Data Entry Trigger (a form post). REDCap does not sign it, so
 * it only names a record: a `project_id` no configured project has is refused, and the record itself
 * is always re-read through the API before anything is decided.
 */
const DetSchema = z.looseObject({
  project_id: z.string().regex(/^\d+$/),
  record: z.string().trim().min(1).max(100),
  instrument: z.string().regex(/^[a-z][a-z0-9_]*$/),
  redcap_event_name: z.string().regex(/^[a-z0-9_]+$/).optional(),
});

export interface RedcapDetDeps {
  readonly handleDet: (det: DataEntryTrigger) => Promise<DetOutcome>;
  readonly logger: Logger;
}

export function redcapDetWebhook(deps: RedcapDetDeps): Router {
  const router = express.Router();
  router.post('/det', formBody(FORM_LIMIT_BYTES), async (req, res) => {
    const parsed = DetSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'not a REDCap Data Entry Trigger (project_id, record, instrument)');
    const body = parsed.data;
    const outcome = await deps.handleDet({
      projectId: body.project_id, record: body.record, instrument: body.instrument, event: body.redcap_event_name ?? null,
    });
    if (outcome.kind === 'unknown-project') {
      const redcapProjectId = body.project_id;
      deps.logger.warn({ redcapProjectId }, 'DET for a project this service does not serve; ignored');
      throw new HttpError(403, 'this service does not serve that REDCap project');
    }
    if (outcome.kind === 'queued') return void res.status(202).json({ queued: true });
    res.json({ project: outcome.project, scheduled: outcome.scheduled });
  });
  return router;
}
