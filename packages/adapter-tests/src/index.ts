export type { AdapterHarness, RunningServer } from './harness.js';
export { runAdapterSuite, expectOutcome, bearerChallenge } from './suite.js';
export { AUTH_CASES } from './cases.js';
export type { AuthCase, ExpectedRefusal } from './cases.js';
export { startFixture, suiteConfig, SUITE_SCOPES } from './fixture.js';
export type { SuiteFixture } from './fixture.js';
export { send } from './http.js';
export type { SuiteRequest, SuiteResponse } from './http.js';
