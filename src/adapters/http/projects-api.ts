import express, { type Router } from 'express';
import type { ProjectSurveyView, SurveyLoad } from '../../ports/engine.js';
import { HttpError } from './http-error.js';

/** `GET /api/projects/:id` and `POST /api/projects/:id/dictionary/refresh` (admin token, mounted under /api). */
export interface ProjectsApiDeps {
  readonly describeProject: (project: string) => ProjectSurveyView | undefined | Promise<ProjectSurveyView | undefined>;
  readonly refreshDictionary: (project: string) => Promise<SurveyLoad>;
}

export function projectsApi(deps: ProjectsApiDeps): Router {
  const router = express.Router();
  router.get('/projects/:id', async (req, res) => {
    const view = await deps.describeProject(req.params.id);
    if (view === undefined) throw new HttpError(404, 'no such project');
    res.json(view);
  });
  router.post('/projects/:id/dictionary/refresh', async (req, res) => {
    if ((await deps.describeProject(req.params.id)) === undefined) throw new HttpError(404, 'no such project');
    const load = await deps.refreshDictionary(req.params.id);
    if (!load.ok) {
      // Refused whole: the previous version stays active.
      return void res.status(422).json({ error: 'the data dictionary has errors; nothing was stored', errors: load.report.errors });
    }
    res.json({ version: load.survey.id, changed: load.changed, ...(await deps.describeProject(req.params.id)) });
  });
  return router;
}
