// The `express4` alias (npm:express@4) ships no types. The harness only uses the API that
// both majors share (app, Router, json, listen), so it is typed as the v5 factory.
declare module 'express4' {
  import type express from 'express';

  const express4: typeof express;
  export default express4;
}
