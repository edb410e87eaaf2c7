/** `redcap-sms dictionary pull --project <id>`: the project's metadata from REDCap, stored as a new survey version. */
import type { Command } from 'commander';
import { pullSurvey } from '../../use-cases/survey-versions.js';
import type { CliIo } from '../io.js';
import { dictionaryGroup } from './dictionary-check.js';
import type { SetExit } from '../set-exit.js';
import { openProjectSurveys, reportLoad } from './project-surveys.js';

export function registerDictionaryPull(program: Command, io: CliIo, setExit: SetExit): void {
  dictionaryGroup(program)
    .command('pull')
    .description("Export the project's data dictionary from REDCap (content=metadata), check it, and store it as a new survey version.")
    .requiredOption('--project <id>', 'the project id from the configuration ("default" in single-project mode)')
    .option('--json', 'print the outcome as one JSON object')
    .action(async (options: { project: string; json?: boolean }) => {
      const surveys = openProjectSurveys(io, options.project);
      try {
        const load = await pullSurvey(surveys.deps, surveys.redcap(), surveys.project.id);
        setExit(reportLoad(io, `REDCap metadata of project ${surveys.project.id}`, surveys.project.id, load, options.json === true));
      } finally {
        surveys.close();
      }
    });
}
