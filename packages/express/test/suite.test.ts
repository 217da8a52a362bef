import { runAdapterSuite } from '@prmkit/adapter-tests';
import { createExpressHarness } from './harness.js';
import { EXPRESS_VERSIONS } from './versions.js';

for (const [label, factory] of EXPRESS_VERSIONS)
  runAdapterSuite(label, createExpressHarness(factory));
