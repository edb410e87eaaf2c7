/** What `dictionary pull` and `dictionary load` share: the configured project, its database and REDCap client. */
import { systemClock } from '../../adapters/clock.js';
import { createRedcapClient } from '../../adapters/redcap/index.js';
import type { RedcapClient } from '../../ports/redcap/index.js';
import { SqliteStore, openDatabase } from '../../adapters/storage/index.js';
import { SqliteRedcapSyncStore } from '../../adapters/storage/redcap-sync-store.js';
import type { DictionaryReport } from '../../checks/check-dictionary.js';
import type { SurveyStoreDeps } from '../../use-cases/survey-versions.js';
import type { SurveyLoad } from '../../ports/engine.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/env.js';
import { loadProjects, type ProjectConfig } from '../../config/projects.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { renderReport } from './dictionary-check.js';

export interface ProjectSurveys {
  project: ProjectConfig;
  deps: SurveyStoreDeps;
  redcap(): RedcapClient;
  close(): void;
}

/** Reads the service's configuration (env or project file) and opens its database. */
export function openProjectSurveys(io: CliIo, projectId: string): ProjectSurveys {
  let project: ProjectConfig | undefined;
  let databasePath: string;
  try {
    const config = loadConfig(io.env);
    project = loadProjects(config, io.env).byId(projectId);
    databasePath = config.databasePath;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (project === undefined) throw new UsageError(`no project "${projectId}" in the configuration`);
  const db = openDatabase(databasePath);
  const store = new SqliteStore(db);
  const found = project;
  return {
    project: found,
    deps: { store, sync: new SqliteRedcapSyncStore(db), clock: systemClock },
    redcap: () => createRedcapClient({ url: found.redcap.url, token: found.redcap.token }),
    close: () => db.close(),
  };
}

/** Prints the outcome; a dictionary with errors is refused whole (exit 1), as `dictionary check` reports it. */
export function reportLoad(io: CliIo, source: string, project: string, load: SurveyLoad, json: boolean): number {
  if (json) {
    io.out(`${JSON.stringify(summary(project, load), null, 2)}\n`);
  } else if (!load.ok) {
    io.out(renderReport(source, load.report));
    io.err(`error: the dictionary has errors; nothing was stored for project ${project}\n`);
  } else {
    const instruments = load.report.instruments.map((i) => i.name).join(', ');
    io.out(load.changed
      ? `Stored survey version ${load.survey.id.slice(0, 12)} for project ${project} (${instruments}); new conversations use it.\n`
      : `Survey version ${load.survey.id.slice(0, 12)} is already the active one for project ${project}; nothing changed.\n`);
  }
  return load.ok ? EXIT.ok : EXIT.inputErrors;
}

function summary(project: string, load: SurveyLoad): { project: string; stored: boolean; version: string | null; report: DictionaryReport } {
  return { project, stored: load.ok && load.changed, version: load.ok ? load.survey.id : null, report: load.report };
}
