import express from 'express';
import express4 from 'express4';
import type { ExpressFactory } from './harness.js';

/** Every Express major the peer range allows, each tested with the same suites. */
export const EXPRESS_VERSIONS: readonly (readonly [label: string, factory: ExpressFactory])[] = [
  ['express 5', express],
  ['express 4', express4],
];
