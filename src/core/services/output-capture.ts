import { StringDecoder } from 'node:string_decoder';

/**
 * The first `maxBytes` of a command's output, decoded as UTF-8 once it is complete. What comes
 * after the cap is counted, not kept: the command runs on to its end or its timeout, and only its
 * output is cut.
 */
export class OutputCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte the command wrote, kept or not. */
  total = 0;

  constructor(private readonly maxBytes: number) {}

  get truncated(): boolean {
    return this.total > this.kept;
  }

  add(chunk: Uint8Array): void {
    this.total += chunk.length;
    const room = this.maxBytes - this.kept;
    if (room <= 0) return;
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(room, chunk.length));
    this.chunks.push(Buffer.from(piece));
    this.kept += piece.length;
  }

  /** The kept output as text; a character cut in half by the cap is dropped, invalid bytes become U+FFFD. */
  text(): string {
    // Stryker disable next-line StringLiteral: StringDecoder decodes UTF-8 when given no encoding
    const decoder = new StringDecoder('utf8');
    const text = decoder.write(Buffer.concat(this.chunks));
    return this.truncated ? text : text + decoder.end();
  }
}
