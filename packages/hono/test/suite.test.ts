import { runAdapterSuite } from '@prmkit/adapter-tests';
import { honoHarness } from './harness.js';

runAdapterSuite('hono', honoHarness);
