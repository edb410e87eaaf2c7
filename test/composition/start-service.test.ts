import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { projectRegistry } from '../../src/config/projects.js';
import { defaultThreading, startService } from '../../src/composition/start-service.js';
import { serviceEnv } from '../det/service-harness.js';

const config = (overrides: Record<string, string>) => loadConfig({ ...serviceEnv('unused.yaml'), ...overrides });

describe('where the engine runs', () => {
  it.each([
    [{ DATABASE_PATH: '/var/lib/redcap-sms/sms.db' }, 'engine-thread'],
    [{ DATABASE_PATH: ':memory:' }, 'this-thread'],
    [{ DATABASE_PATH: '/var/lib/redcap-sms/sms.db', SMS_PROVIDER: 'simulator' }, 'this-thread'],
    [{ DATABASE_PATH: '/var/lib/redcap-sms/sms.db', DATABASE_URL: 'postgres://app@db.example.org/sms' }, 'this-thread'],
  ] as const)('when serve is configured with %o, then its engine runs in %s', (env, threading) => {
    expect(defaultThreading(config(env))).toBe(threading);
  });

  it.each([
    ['test doubles are given', { DATABASE_PATH: '/tmp/never-created.db' }, { sender: { send: async () => ({ kind: 'retry', reason: 'x' }) as const } }, /test doubles need this-thread/],
    ['the database is in memory', { DATABASE_PATH: ':memory:' }, {}, /PostgreSQL, an in-memory database or the simulator needs this-thread/],
  ])('when an engine thread is asked for but %s, then the service refuses to start', async (_case, env, options, error) => {
    await expect(startService(config(env), projectRegistry([]), 'engine-thread', options)).rejects.toThrow(error);
  });
});
