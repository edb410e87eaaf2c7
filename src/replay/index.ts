export { replayFile, replayFixture, type ReplayResult, type ReplayOptions } from './runner.js';
export { parseFixture, FixtureSchema, StepSchema, type Fixture, type Step, type Expectation } from './fixture.js';
export { ReplayWorld, REPLAY_PROJECT } from './world.js';
export { rewriteFixtureSteps } from './rewrite.js';
