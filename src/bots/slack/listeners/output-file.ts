import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../core/ports/logger.js';
import type { CommandOutput } from '../../replies/reply.js';
import { DmChannels } from '../notifier/dm-channels.js';
import type { FileDelivery } from '../render/output-blocks.js';

/** A deadline for handing the file's bytes to Slack's upload URL. */
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * Sends a command's whole output as a file into the caller's DM with the bot: the only place Slack
 * offers where a file is seen by the caller alone (replies to commands are ephemeral, files cannot
 * be). The external upload: `files.getUploadURLExternal`, the bytes to the URL it gives, then
 * `files.completeUploadExternal` sharing it to the DM (`files.upload` is retired). Needs the scopes
 * `files:write` and `im:write`.
 */
export class OutputFiles {
  private readonly dms: DmChannels;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {
    this.dms = new DmChannels(client);
  }

  /** Never throws: a file that could not be sent is said so in the reply. */
  async sendToDm(user: string, output: CommandOutput, title: string): Promise<FileDelivery> {
    try {
      const channel = await this.dms.open(user);
      const bytes = Buffer.from(output.text, 'utf8');
      const target = await this.client.files.getUploadURLExternal({
        filename: output.filename,
        length: bytes.length,
      });
      if (!target.upload_url || !target.file_id)
        throw new Error('files.getUploadURLExternal gave no upload URL');
      const uploaded = await fetch(target.upload_url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: bytes,
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
      if (!uploaded.ok) throw new Error(`the upload URL answered ${uploaded.status}`);
      await this.client.files.completeUploadExternal({
        files: [{ id: target.file_id, title }],
        channel_id: channel,
      });
      return 'sent';
    } catch (error) {
      this.logger.warn({ user, error: (error as Error).message }, 'Slack output file not sent');
      return 'failed';
    }
  }
}
