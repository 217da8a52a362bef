import { runAdapterSuite } from '@prmkit/adapter-tests';
import { fetchHarness } from './harness.js';

runAdapterSuite('web', fetchHarness('wrapper'));
runAdapterSuite('web (metadataRoute)', fetchHarness('route'));
