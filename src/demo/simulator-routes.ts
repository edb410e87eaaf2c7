import express, { type Router } from 'express';
import { z } from 'zod';
import { DemoProblem, type DemoSimulator } from './demo-simulator.js';
import type { Logger } from '../ports/logger.js';
import { HttpError, jsonErrors } from '../adapters/http/http-error.js';
import { simulatorPage } from './simulator-page.js';

export interface SimulatorRouteDeps {
  simulator: DemoSimulator;
  instrument: string;
  dashboardUrl: string;
  logger: Logger;
}

const TextBody = z.object({ body: z.string().trim().min(1, { error: 'type a text first' }).max(1600) });
const ClockBody = z.object({ advance: z.string().min(1) });

/**
 * The demo's phone simulator: the page, and the JSON it polls and posts. Mounted only by the demo;
 * a text posted here enters the service through the same inbound path as a Twilio webhook.
 */
export function simulatorRoutes(deps: SimulatorRouteDeps): Router {
  const router = express.Router();
  const { simulator } = deps;
  router.get('/simulator', async (_req, res) => {
    const model = { participants: await simulator.participants(), instrument: deps.instrument, now: simulator.now(), dashboardUrl: deps.dashboardUrl };
    res.type('html').send(simulatorPage(model));
  });
  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  api.get('/participants', async (_req, res) => void res.json({ participants: await simulator.participants() }));
  api.get('/participants/:record', async (req, res) => {
    const after = Number(req.query.after ?? 0);
    res.json(await problems(() => simulator.view(req.params.record, Number.isInteger(after) && after > 0 ? after : 0)));
  });
  api.post('/participants/:record/invite', async (req, res) => {
    res.status(201).json(await problems(() => simulator.invite(req.params.record)));
  });
  api.post('/participants/:record/texts', async (req, res) => {
    const text = TextBody.safeParse(req.body ?? {});
    if (!text.success) throw new HttpError(400, text.error.issues[0]?.message ?? 'a text body is required');
    await problems(() => simulator.reply(req.params.record, text.data.body));
    res.status(202).json({ accepted: true });
  });
  api.post('/clock', async (req, res) => {
    const body = ClockBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'send { "advance": "PT4H" }');
    res.json(await problems(async () => simulator.advance(body.data.advance)));
  });
  router.use('/simulator/api', api, jsonErrors(deps.logger));
  return router;
}

/** A demo problem (no such record, no phone, bad duration) is the caller's: 400 with its message. */
async function problems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DemoProblem) throw new HttpError(400, error.message);
    throw error;
  }
}
