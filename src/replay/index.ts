export { replayFile, replayFixture, type ReplayResult, type ReplayOptions } from './runner.js';
export { parseFixture, FixtureSchema, StepSchema, type Fixture, type Step, type Expectation } from './fixture.js';
export { ReplayWorld, REPLAY_PROJECT, inMemorySqlite, type ReplayStorage, type ReplayStorageFactory } from './world.js';
export { rewriteFixtureSteps } from './rewrite.js';
