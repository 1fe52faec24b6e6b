import type { WebSocket } from 'ws';
import type { Logger } from '../../core/ports/logger.js';
import type { TerminalPass } from '../../core/services/terminal-service.js';
import { type BridgeOptions, TerminalBridge } from './terminal-bridge.js';

/** The terminals this server has open, so that shutting down ends every shell they started. */
export class TerminalHub {
  private readonly bridges = new Set<TerminalBridge>();
  private readonly options: BridgeOptions;

  constructor(options: Partial<BridgeOptions> & { logger: Logger }) {
    this.options = { highWaterBytes: 1024 * 1024, firstFrameMs: 5_000, ...options };
  }

  get count(): number {
    return this.bridges.size;
  }

  open(ws: WebSocket, pass: TerminalPass): void {
    const bridge = new TerminalBridge(ws, pass, this.options);
    this.bridges.add(bridge);
    bridge
      .run()
      .catch((error: unknown) =>
        this.options.logger.error({ leaseId: pass.lease.id, error: String(error) }, 'terminal failed'),
      )
      .finally(() => this.bridges.delete(bridge));
  }

  /** Tells every page why, closes every socket with `code`, and ends every shell. */
  async closeAll(code: number, reason: string): Promise<void> {
    await Promise.allSettled([...this.bridges].map((bridge) => bridge.shutDown(code, reason)));
  }
}
