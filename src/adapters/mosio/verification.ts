import type { ProjectConfig } from '../../config/projects.js';
import type { AccountStatus } from '../../ports/sms-provider.js';
import { safeErrorText, type MosioApi } from './mosio-api.js';
import { mosioProjectId } from './mosio-sender.js';

export interface VerificationOptions {
  readonly api: MosioApi;
  readonly projects: readonly ProjectConfig[];
  /** Sent as `RedcapUrl`: this also tells Mosio where to post replies (reference §1.16). */
  readonly inboundUrl: string;
  readonly now: () => Date;
}

/**
 * Checks every Mosio project's key with `redcap_verification`, as REDCap does when the settings are
 * saved. The detail names projects and Mosio's account status, never a key.
 */
export async function verifyMosioAccounts(options: VerificationOptions): Promise<AccountStatus> {
  const mosioProjects = options.projects.filter((project) => project.sender.mosio !== undefined);
  if (mosioProjects.length === 0) return status(false, 'no project has a Mosio API key', options.now());
  const results = await Promise.all(mosioProjects.map((project) => verifyOne(options, project)));
  return status(results.every((r) => r.ok), results.map((r) => r.line).join('; '), options.now());
}

async function verifyOne(options: VerificationOptions, project: ProjectConfig): Promise<{ ok: boolean; line: string }> {
  const account = project.sender.mosio;
  if (account === undefined) return { ok: false, line: `${project.id}: no Mosio API key` };
  const reply = await options.api.post('redcap_verification', account.apiKey, {
    RedcapUrl: options.inboundUrl,
    ProjectId: mosioProjectId(account.projectId),
    ProjectName: project.id,
  });
  if (reply.kind === 'unreachable') return { ok: false, line: `${project.id}: Mosio unreachable (${reply.code})` };
  if (reply.success) return { ok: true, line: `${project.id}: verified${reply.accountStatus === undefined ? '' : ` (${safeErrorText(reply.accountStatus)})`}` };
  const said = reply.errorMessage === '' ? `HTTP ${reply.httpStatus}` : `HTTP ${reply.httpStatus}: ${safeErrorText(reply.errorMessage)}`;
  return { ok: false, line: `${project.id}: Mosio refused the verification (${said})` };
}

function status(ok: boolean, detail: string, at: Date): AccountStatus {
  return { ok, detail, checkedAt: at.toISOString() };
}
