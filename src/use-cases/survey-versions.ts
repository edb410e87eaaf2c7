/**
 * Loading surveys: a dictionary (Designer CSV, or the API's metadata) becomes a new immutable survey
 * version of a project after the same checks as `dictionary check`. A dictionary with errors is
 * refused whole and nothing is stored. New conversations use the newest version; running ones keep theirs.
 */
import type { Clock } from '../ports/clock.js';
import type { RedcapClient } from '../ports/redcap/index.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';
import type { RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import { parseDictionary, type DictionaryFormat } from '../dictionary/index.js';
import type { ProjectSurveyView, SurveyLoad } from '../ports/engine.js';
import type { Survey } from '../dictionary/model.js';
import { checkDictionary, describeSurvey } from '../checks/check-dictionary.js';

export interface SurveyStoreDeps {
  store: ConversationStore;
  sync: RedcapSyncStore;
  clock: Clock;
}

export async function loadSurvey(
  deps: SurveyStoreDeps, project: string, bytes: Uint8Array | string, hint: DictionaryFormat | undefined, source: 'pull' | 'load',
): Promise<SurveyLoad> {
  const report = checkDictionary(bytes, hint);
  const survey = report.errors.length === 0 ? parseDictionary(bytes, hint).survey : null;
  if (survey === null) return { ok: false, report };
  const changed = await deps.store.transaction(async (tx) => {
    if ((await tx.sync.activeSurvey(project))?.surveyVersion === survey.id) return false;
    const at = deps.clock.now().toISOString();
    await tx.saveSurvey(survey, at);
    await tx.sync.addProjectSurvey(project, survey.id, source, at);
    return true;
  });
  return { ok: true, survey, report, changed };
}

/** `content=metadata` from the project's REDCap, loaded as above. */
export async function pullSurvey(deps: SurveyStoreDeps, client: RedcapClient, project: string): Promise<SurveyLoad> {
  const metadata = await client.exportMetadata();
  return loadSurvey(deps, project, JSON.stringify(metadata), 'json', 'pull');
}

/** The newest survey version of a project, if one was ever loaded. */
export async function activeSurvey(deps: SurveyStoreDeps, project: string): Promise<Survey | undefined> {
  const active = await deps.sync.activeSurvey(project);
  return active === undefined ? undefined : deps.store.loadSurvey(active.surveyVersion);
}

/** The active survey, pulled from REDCap first when the project has none yet. */
export async function ensureSurvey(deps: SurveyStoreDeps, client: RedcapClient, project: string): Promise<Survey> {
  const active = await activeSurvey(deps, project);
  if (active !== undefined) return active;
  const pulled = await pullSurvey(deps, client, project);
  if (!pulled.ok) throw new Error(`the data dictionary of project ${project} has ${pulled.report.errors.length} error(s); fix it in REDCap`);
  return pulled.survey;
}

export async function describeProject(deps: SurveyStoreDeps, project: string): Promise<ProjectSurveyView> {
  const active = await deps.sync.activeSurvey(project);
  if (active === undefined) return { project, activeVersion: null };
  const facts = describeSurvey(await deps.store.loadSurvey(active.surveyVersion));
  return {
    project,
    activeVersion: {
      id: active.surveyVersion, source: active.source, loadedAt: active.loadedAt,
      recordIdField: facts.recordIdField ?? '', instruments: facts.instruments,
    },
  };
}
