export type { AdapterHarness, InProcessApp, RunningServer, ServerTls } from './harness.js';
export { runAdapterSuite } from './suite.js';
export { bearerChallenge, expectMcpHeaderOutcome, expectOutcome } from './expectations.js';
export { MCP_HEADER_CASES } from './mcp-header-cases.js';
export type { McpHeaderCase, McpHeaderExpectation } from './mcp-header-cases.js';
export { AUTH_CASES } from './cases.js';
export type { AuthCase, ExpectedRefusal } from './cases.js';
export { startFixture, suiteConfig, SUITE_SCOPES } from './fixture.js';
export type { SuiteFixture } from './fixture.js';
export { send } from './http.js';
export type { ClientTls, SuiteRequest, SuiteResponse } from './http.js';
export { expectVerbatim } from './expectations.js';
export { referenceAnswer, toRequestLike } from './reference.js';
export { REASON_CASES, runTelemetrySuite } from './telemetry-suite.js';
export type { ReasonCase } from './telemetry-suite.js';
export { runDpopSuite } from './dpop-suite.js';
export { runBodySuite } from './body-suite.js';
export {
  GATEWAY_SCOPES,
  multiResourceConfigs,
  runMultiResourceSuite,
} from './multi-resource-suite.js';
export { runMtlsSuite } from './mtls-suite.js';
