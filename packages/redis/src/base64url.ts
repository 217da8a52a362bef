/** Strict base64url (RFC 4648 §5, no padding): anything outside the alphabet is refused. */
export const base64url = {
  encode(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('base64url');
  },
  decode(text: string): Uint8Array<ArrayBuffer> | undefined {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
    return new Uint8Array(Buffer.from(text, 'base64url'));
  },
};
