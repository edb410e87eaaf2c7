/** `redcap-sms dictionary load <file> --project <id>`: a Designer CSV (or metadata JSON) stored as a new survey version. */
import type { Command } from 'commander';
import { loadSurvey } from '../../use-cases/survey-versions.js';
import type { CliIo } from '../io.js';
import { dictionaryGroup, formatHint, readDictionaryFile } from './dictionary-check.js';
import type { SetExit } from '../set-exit.js';
import { openProjectSurveys, reportLoad } from './project-surveys.js';

export function registerDictionaryLoad(program: Command, io: CliIo, setExit: SetExit): void {
  dictionaryGroup(program)
    .command('load')
    .description('Check a data dictionary file and store it as a new survey version of a project (for teams without metadata API rights).')
    .argument('<file>', 'the dictionary: .csv from the Online Designer, or .json from the API (content=metadata)')
    .requiredOption('--project <id>', 'the project id from the configuration ("default" in single-project mode)')
    .option('--json', 'print the outcome as one JSON object')
    .action(async (file: string, options: { project: string; json?: boolean }) => {
      const bytes = readDictionaryFile(io, file);
      const surveys = openProjectSurveys(io, options.project);
      try {
        const load = await loadSurvey(surveys.deps, surveys.project.id, bytes, formatHint(file), 'load');
        setExit(reportLoad(io, file, surveys.project.id, load, options.json === true));
      } finally {
        surveys.close();
      }
    });
}
