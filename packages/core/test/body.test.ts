import { describe, expect, it } from 'vitest';
import { readBodyCapped } from '../src/adapter.js';

const streamOf = (...chunks: string[]) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    }),
  ).body;

describe('readBodyCapped', () => {
  it('returns every byte up to the cap, across chunks', async () => {
    const bytes = await readBodyCapped(streamOf('{"a":', '1}'), 7);
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
    expect(await readBodyCapped(null, 10)).toEqual(new Uint8Array(0));
  });

  it('stops at the first byte over the cap', async () => {
    expect(await readBodyCapped(streamOf('12345', '678'), 7)).toBeUndefined();
  });

  it('leaves the original of a cloned request readable, even when over the cap', async () => {
    const request = new Request('http://127.0.0.1/mcp', { method: 'POST', body: 'x'.repeat(100) });
    expect(await readBodyCapped(request.clone().body, 10)).toBeUndefined();
    expect(await request.text()).toBe('x'.repeat(100));
  });
});
