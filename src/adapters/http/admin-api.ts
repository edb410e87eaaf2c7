import express, { type Router } from 'express';
import type { z } from 'zod';
import type { AdminQueries } from '../../ports/storage/admin-reads.js';
import { HttpError } from './http-error.js';
import { InvitationRequestSchema, type Invitations } from '../../ports/engine.js';

export function adminApi(queries: AdminQueries, invitations: Invitations | undefined): Router {
  const router = express.Router();
  router.get('/conversations', async (req, res) => {
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100));
    res.json({ conversations: await queries.conversations(limit) });
  });
  router.get('/conversations/:id', async (req, res) => {
    const conversation = await queries.conversation(req.params.id);
    if (conversation === undefined) throw new HttpError(404, 'no such conversation');
    // Texts are participant data: shown only when explicitly asked for.
    const showTexts = req.query.texts === '1';
    const transcript = (await queries.transcript(conversation.id)).map((entry) => (showTexts ? entry : { ...entry, body: '[redacted]' }));
    res.json({ conversation, transcript, redcapWriteFailures: await queries.redcapWriteFailures(conversation.id) });
  });
  router.get('/opt-outs', async (_req, res) => void res.json({ optOuts: await queries.optOuts() }));
  router.post('/invitations', async (req, res) => {
    const parsed = InvitationRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpError(400, parsed.error.issues.map(describe).join('; '));
    if (invitations === undefined) throw new HttpError(503, 'invitations are not available: no REDCap survey source is configured');
    const outcome = await invitations.create(parsed.data);
    if (outcome.kind === 'created') return void res.status(201).json(outcome.invitation);
    throw new HttpError(outcome.kind === 'refused' ? 409 : outcome.kind === 'unavailable' ? 503 : 400, outcome.message);
  });
  return router;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && /undefined/.test(issue.message)) return `${field} is required`;
  return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}
