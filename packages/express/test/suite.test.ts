import { runAdapterSuite } from '@prmkit/adapter-tests';
import { expressHarness } from './harness.js';

runAdapterSuite('express', expressHarness);
