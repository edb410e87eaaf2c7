import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../../src/config/env.js';
import { parseProjectFile } from '../../src/config/projects.js';
import {
  CONFIGURATION_REFERENCE_PATH, exampleEnvironment, exampleProjectFile, exampleProjectFileEnvironment, renderConfigurationReference,
} from '../../src/config/reference.js';

/** docs/configuration.md is written from the zod schemas; these specs keep it, and its examples, true. */

describe('the configuration reference', () => {
  it('when docs/configuration.md is compared with what the schemas generate, then it is current', () => {
    const committed = readFileSync(CONFIGURATION_REFERENCE_PATH, 'utf8');
    const current = renderConfigurationReference();
    expect(committed === current, `${CONFIGURATION_REFERENCE_PATH} is out of date with src/config/: run \`npm run docs:config\` and commit the result`).toBe(true);
  });

  it('when every environment variable is set to its documented example at once, then the service accepts the configuration', () => {
    const env = exampleEnvironment();
    expect(Object.keys(env)).toEqual(Object.keys(EnvSchema.shape));
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('when the project file with every key at its documented example is read, then it is valid and sets every key', () => {
    const [project] = parseProjectFile(exampleProjectFile(), 'projects.yaml', exampleProjectFileEnvironment(), 1);
    expect(project).toMatchObject({
      id: 'mood-study',
      redcap: { token: 'example-value-of-mood_redcap_token' },
      sender: { ratePerSecond: 3, mosio: { apiKey: 'example-value-of-mood_mosio_key', projectId: '1234' } },
      optOutFields: ['sms_opt_out', 'sms_opted_out'],
      quietHours: { start: '21:00', end: '08:00' },
      invitationRules: [{ instrument: 'daily', at: '09:00', mode: 'link' }],
      surveyQueue: [{ instrument: 'weekly', autoStart: true }],
      monthlySegmentBudget: 3000,
    });
  });

  it('when .env.example is read, then it names exactly the variables the service validates', () => {
    const named = [...readFileSync('.env.example', 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect([...new Set(named)].sort()).toEqual(Object.keys(EnvSchema.shape).sort());
  });
});
