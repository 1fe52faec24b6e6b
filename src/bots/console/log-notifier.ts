import type { Notice } from '../../core/domain/notice.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Notifier } from '../../core/ports/notifier.js';
import { replyToText } from '../replies/plain-text.js';
import type { ReplyBuilder } from '../replies/reply-builder.js';

/**
 * Notices for `local:` owners when no console is attached: written to the log, so none is lost,
 * without links, since whoever reads the log is not necessarily the owner.
 */
export function logNotifier(replies: ReplyBuilder, logger: Logger, now: () => number): Notifier {
  return {
    platform: 'local',
    async deliver(notice: Notice) {
      const text = replyToText(replies.sharedNotice(notice), { now: now() });
      logger.info(
        { noticeId: notice.id, owner: notice.owner, kind: notice.kind, leaseId: notice.leaseId, text },
        'notice',
      );
    },
  };
}
