const HEADER_BYTES = 8;

/** A piece of one of the two streams. */
export interface Payload {
  readonly stream: 'stdout' | 'stderr';
  readonly bytes: Buffer;
}

/**
 * The payloads of Docker's multiplexed stream (an 8-byte header naming stdout or stderr and the
 * payload's length, then the payload). Headers and payloads may arrive split across chunks; nothing
 * is copied but a header.
 */
export class MultiplexedOutput {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private payloadLeft = 0;

  push(chunk: Buffer): Payload[] {
    const payloads: Payload[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payloadLeft === 0) {
        const taken = chunk.copy(
          this.header,
          this.headerFill,
          offset,
          offset + HEADER_BYTES - this.headerFill,
        );
        this.headerFill += taken;
        offset += taken;
        if (this.headerFill === HEADER_BYTES) {
          this.headerFill = 0;
          this.payloadLeft = this.header.readUInt32BE(4);
        }
        continue;
      }
      const end = Math.min(chunk.length, offset + this.payloadLeft);
      payloads.push({
        stream: this.header[0] === 2 ? 'stderr' : 'stdout',
        bytes: chunk.subarray(offset, end),
      });
      this.payloadLeft -= end - offset;
      offset = end;
    }
    return payloads;
  }
}
