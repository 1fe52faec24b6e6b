import { randomBytes } from 'node:crypto';

/** One WebSocket frame as a client writes it, including the malformed ones RFC 6455 forbids. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload?: Buffer | string;
  /** @defaultValue true */
  readonly fin?: boolean;
  /** The RSV1–RSV3 bits, 0–7. @defaultValue 0 */
  readonly rsv?: number;
  /** Clients must mask; false sends the payload in the clear. @defaultValue true */
  readonly masked?: boolean;
  /** The length the header claims, when it is not the payload's (a lie, or a huge claim). */
  readonly claimedLength?: bigint;
}

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** The bytes of one frame, built by hand so that malformed framing is really sent. */
export function frame(spec: FrameSpec): Buffer {
  const payload =
    typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const length = spec.claimedLength ?? BigInt(payload.length);
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | spec.opcode;
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, maskBit | Number(length)]);
  else if (length <= 0xffffn) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (key[i % 4] ?? 0)));
  return Buffer.concat([header, key, body]);
}

export const text = (payload: Buffer | string, more: Partial<FrameSpec> = {}) =>
  frame({ opcode: OPCODE.text, payload, ...more });
const closeFrame = (code: number, reason: Buffer | string = '') => {
  const body = Buffer.alloc(2);
  body.writeUInt16BE(code);
  return frame({ opcode: OPCODE.close, payload: Buffer.concat([body, Buffer.from(reason)]) });
};

/** What a client sends on an open log socket; `end` then half-closes its side (FIN), as a client that hangs up would. */
export interface FrameCase {
  readonly name: string;
  readonly bytes: Buffer;
  readonly end?: boolean;
}

/**
 * Frames a client may send, well-formed or not: too large for a socket that takes at most
 * `MAX_PAYLOAD` bytes, binary, fragmented, malformed, after its own close, or plain garbage.
 */
export function badFrames(MAX_PAYLOAD: number): FrameCase[] {
  return [
    { name: 'a text frame over the maximum payload', bytes: text('x'.repeat(MAX_PAYLOAD + 1)) },
    {
      name: 'a binary frame over the maximum payload',
      bytes: frame({ opcode: OPCODE.binary, payload: Buffer.alloc(MAX_PAYLOAD * 2) }),
    },
    {
      name: 'a frame claiming 64 KiB and sending 100 bytes',
      bytes: text('x'.repeat(100), { claimedLength: 65_535n }),
    },
    { name: 'a frame claiming 2^53 bytes', bytes: text('x', { claimedLength: 2n ** 53n }) },
    {
      name: 'a frame claiming 2^63 bytes (the forbidden top bit)',
      bytes: text('x', { claimedLength: 2n ** 63n }),
    },
    { name: 'a small binary frame', bytes: frame({ opcode: OPCODE.binary, payload: randomBytes(64) }) },
    { name: 'invalid UTF-8 in a text frame', bytes: text(Buffer.from([0xc3, 0x28, 0xff, 0xfe])) },
    { name: 'an unmasked frame', bytes: text('hello', { masked: false }) },
    { name: 'a reserved data opcode (3)', bytes: frame({ opcode: 3, payload: 'x' }) },
    { name: 'a reserved control opcode (0xB)', bytes: frame({ opcode: 0xb, payload: 'x' }) },
    { name: 'RSV1 set without an extension', bytes: text('x', { rsv: 4 }) },
    { name: 'RSV2 and RSV3 set', bytes: text('x', { rsv: 3 }) },
    {
      name: 'a continuation with nothing to continue',
      bytes: frame({ opcode: OPCODE.continuation, payload: 'x' }),
    },
    {
      name: 'a text message in three fragments',
      bytes: Buffer.concat([
        text('one ', { fin: false }),
        frame({ opcode: OPCODE.continuation, payload: 'two ', fin: false }),
        frame({ opcode: OPCODE.continuation, payload: 'three' }),
      ]),
    },
    {
      name: 'fragments adding up to more than the maximum payload',
      bytes: Buffer.concat([
        text('x'.repeat(1000), { fin: false }),
        ...Array.from({ length: 5 }, () =>
          frame({ opcode: OPCODE.continuation, payload: 'x'.repeat(1000), fin: false }),
        ),
        frame({ opcode: OPCODE.continuation, payload: 'x' }),
      ]),
    },
    {
      name: 'a new message before the last one ended',
      bytes: Buffer.concat([text('a', { fin: false }), text('b')]),
    },
    { name: 'a fragmented ping', bytes: frame({ opcode: OPCODE.ping, payload: 'x', fin: false }) },
    { name: 'a ping with 126 bytes', bytes: frame({ opcode: OPCODE.ping, payload: Buffer.alloc(126) }) },
    {
      name: 'a close frame with a one-byte body',
      bytes: frame({ opcode: OPCODE.close, payload: Buffer.from([3]) }),
    },
    { name: 'a close frame with code 1005 (reserved)', bytes: closeFrame(1005) },
    { name: 'a close frame with code 999', bytes: closeFrame(999) },
    { name: 'a close frame with code 5000', bytes: closeFrame(5000) },
    {
      name: 'a close frame with an invalid UTF-8 reason',
      bytes: closeFrame(1000, Buffer.from([0xff, 0xff])),
    },
    {
      name: 'frames after its own close',
      bytes: Buffer.concat([closeFrame(1000, 'bye'), text('after'), text('x'.repeat(MAX_PAYLOAD + 1))]),
    },
    {
      name: '200 pings',
      bytes: Buffer.concat(Array.from({ length: 200 }, () => frame({ opcode: OPCODE.ping, payload: 'p' }))),
    },
    { name: 'an unsolicited pong', bytes: frame({ opcode: OPCODE.pong, payload: 'x' }) },
    { name: 'an empty text frame', bytes: text('') },
    { name: '1 KiB of random bytes', bytes: randomBytes(1024) },
    {
      name: 'an HTTP request instead of frames',
      bytes: Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
    },
    { name: 'half a frame header, then FIN', bytes: Buffer.from([0x81]), end: true },
    {
      name: 'a frame cut off in its payload, then FIN',
      bytes: text('x'.repeat(200)).subarray(0, 50),
      end: true,
    },
  ];
}

/** The log socket takes frames up to 4096 bytes (web-server.ts) and never reads what a viewer sends. */
export const BAD_FRAMES: readonly FrameCase[] = badFrames(4096);
