import { runAdapterSuite } from '@prmkit/adapter-tests';
import { fastifyHarness } from './harness.js';

runAdapterSuite('fastify', fastifyHarness);
