import type { AuditEntry } from '../../core/domain/audit.js';
import type { LeaseView } from '../../core/domain/lease.js';
import type { Notice } from '../../core/domain/notice.js';
import type { CodedError } from '../../core/errors.js';
import type { AuditPage } from '../../core/ports/audit-trail.js';
import type { Clock } from '../../core/ports/clock.js';
import type { LinkIssuer } from '../../core/ports/links.js';
import type { ExecResult } from '../../core/services/exec-service.js';
import type { ImageOffer, LeaseLogs, LeasePortLink } from '../../core/services/lease-service.js';
import type { UsageReport, UsageRow } from '../../core/services/usage.js';
import { type GrammarError, USAGE, USAGE_LINE } from '../grammar/command.js';
import type { SlowCommand } from '../slow-commands.js';
import { cleanOutput } from './command-output.js';
import { leaseActions, leaseCard } from './lease-card.js';
import { type Line, type Reply, reply } from './reply.js';

export interface ReplyBuilderDeps {
  readonly images: () => readonly ImageOffer[];
  readonly links: LinkIssuer;
  readonly clock: Clock;
  /** The longest lease or extension when an image is not in the catalog any more. */
  readonly defaultMaxMinutes: number;
}

/** Every reply and notice the bots send, worded once for all platforms. */
export class ReplyBuilder {
  constructor(private readonly deps: ReplyBuilderDeps) {}

  provisioning(imageType: string, minutes: number | undefined): Reply {
    const duration = minutes === undefined ? '' : ` for ${minutes} min`;
    return reply('info', [`Provisioning ${imageType}${duration}…`], {
      body: [['This can take a moment if the image has to be pulled.']],
    });
  }

  /** What to show at once for a slow command, while it runs. */
  pending(command: SlowCommand): Reply {
    if (command.kind === 'provision') return this.provisioning(command.imageType, command.minutes);
    if (command.kind === 'stop' || command.kind === 'admin')
      return reply('info', ['Stopping lease ', { code: command.id }, '…']);
    return reply('info', [
      'Running ',
      { code: shortCommand(command.command) },
      ' in lease ',
      { code: command.id },
      '…',
    ]);
  }

  /** An admin's stop: done, and its owner told who stopped it and why. */
  adminStopped(id: string): Reply {
    return reply('success', [
      'Lease ',
      { code: id },
      ' stopped and its container removed; an owner other than you is told who stopped it and why.',
    ]);
  }

  /** A lease's audit entries, oldest first, one line each. */
  audit(id: string, page: AuditPage): Reply {
    if (page.entries.length === 0)
      return reply('info', ['No audit entries for lease ', { code: id }, '.'], {
        body: [[`Entries are kept for AUDIT_RETENTION_DAYS days.`]],
      });
    return reply('info', ['Audit trail of lease ', { code: id }], {
      body: [
        ...page.entries.slice(-MAX_AUDIT_LINES).map((entry) => auditLine(entry)),
        ...(page.entries.length > MAX_AUDIT_LINES || page.next
          ? [[`Only the last ${MAX_AUDIT_LINES} are shown; GET /api/audit?lease=${id} has them all.`]]
          : []),
      ],
    });
  }

  /** Lease-minutes by team, owner and image. */
  usage(report: UsageReport & { readonly partial: boolean }): Reply {
    const section = (title: string, rows: readonly UsageRow[]): Line[] => [
      [{ strong: title }],
      ...(rows.length === 0
        ? [['none']]
        : rows
            .slice(0, MAX_USAGE_ROWS)
            .map(
              (row): Line => [
                { code: row.key },
                ` ${row.minutes} min in ${row.leases} lease${row.leases === 1 ? '' : 's'}`,
              ],
            )),
    ];
    return reply(
      'info',
      [
        `Usage over the last ${report.days} day${report.days === 1 ? '' : 's'}: ${report.totalMinutes} lease-minutes`,
      ],
      {
        body: [
          ...section('By team', report.byTeam),
          ...section('By owner', report.byOwner),
          ...section('By image', report.byImage),
          ...(report.partial
            ? [['The audit trail was too long to read whole: these figures are partial.']]
            : []),
        ],
      },
    );
  }

  /** The new lease; with the link to the port asked for at provisioning, for the owner's eyes only. */
  provisioned(lease: LeaseView, portLink?: LeasePortLink): Reply {
    return reply(
      'success',
      [`Your `, { strong: lease.imageType }, ` container is running: lease `, { code: lease.id }],
      {
        cards: [this.card(lease)],
        ...(portLink ? { body: [portLinkLine(portLink)], actions: [portAction(portLink)] } : {}),
      },
    );
  }

  /** A port's link: it opens whatever the lease serves there, so the reply is the caller's alone. */
  portOpened(link: LeasePortLink): Reply {
    return reply('info', ['Port ', { code: String(link.port) }, ' of lease ', { code: link.leaseId }], {
      body: [portLinkLine(link)],
      actions: [portAction(link)],
    });
  }

  /**
   * The caller's leases, or for an admin (`list all`, `admin list`) everyone's with owner, team and
   * time left; with a Dashboard button that signs the caller in
   * there: a session link, so this reply is for the caller's eyes only, as replies are.
   */
  list(leases: readonly LeaseView[], all: boolean, owner: string): Reply {
    const dashboard = { kind: 'link', url: this.deps.links.dashboardUrl(owner), label: 'Dashboard' } as const;
    if (leases.length === 0) {
      return reply('info', [all ? 'There are no leases.' : 'You have no leases.'], {
        body: [['Start one with ', { code: '/lease provision ubuntu 60' }, ', or from your dashboard.']],
        actions: [dashboard],
      });
    }
    const count = `${leases.length} lease${leases.length === 1 ? '' : 's'}`;
    return reply('info', [all ? `${count} in all` : `You have ${count}`], {
      cards: leases.map((lease) => this.card(lease, all)),
      actions: [dashboard],
    });
  }

  stopped(id: string): Reply {
    return reply('success', ['Lease ', { code: id }, ' stopped; its container was removed.']);
  }

  extended(lease: LeaseView): Reply {
    return reply(
      'success',
      ['Lease ', { code: lease.id }, ' now ends ', { time: lease.expiresAt, style: 'relative' }, '.'],
      {
        cards: [this.card(lease)],
      },
    );
  }

  logs(logs: LeaseLogs): Reply {
    const what = logs.ended ? 'Final logs of lease ' : 'Live logs of lease ';
    return reply('info', [what, { code: logs.id }, ' (', { strong: logs.imageType }, ')'], {
      actions: [{ kind: 'link', url: logs.logsUrl, label: logs.ended ? 'Final logs' : 'Open logs' }],
    });
  }

  /** What a command did: how it ended, how long it took, and its output (in a code block, or as a file). */
  ran(lease: LeaseView, command: string, result: ExecResult): Reply {
    const shown = { code: shortCommand(command) };
    const took = `${(result.durationMs / 1000).toFixed(1)} s`;
    const title: Line = result.timedOut
      ? [shown, ` ran past its timeout and was stopped after ${took}, with everything it started.`]
      : result.exitCode === null
        ? [shown, ` was stopped after ${took}.`]
        : [shown, ` exited with ${result.exitCode} after ${took}.`];
    const text = cleanOutput(result.output);
    const body: Line[] = [['In lease ', { code: lease.id }, ` (${lease.imageType}).`]];
    if (text.trim() === '') body.push(['It printed nothing.']);
    if (result.truncated) body.push(['It printed more than 1 MiB; the first 1 MiB is kept.']);
    return reply(result.exitCode === 0 ? 'success' : 'warning', title, {
      body,
      actions: [terminalAction(lease)],
      ...(text.trim() === ''
        ? {}
        : { output: { text, truncated: result.truncated, filename: `lease-${lease.id}-output.txt` } }),
    });
  }

  /** An interactive program sent to `/lease exec`: where it can run instead. */
  needsTerminal(lease: LeaseView, program: string): Reply {
    return reply('info', [{ code: program }, ' needs a terminal, which a command from chat does not have.'], {
      body: [['Open the terminal of lease ', { code: lease.id }, ' and run it there.']],
      actions: [terminalAction(lease)],
    });
  }

  images(): Reply {
    const images = this.deps.images();
    return reply('info', ['Images you can provision'], {
      body: images.map(
        (image): Line => [
          { code: image.name },
          ` — ${image.description} (up to ${image.maxLeaseMinutes} min)`,
        ],
      ),
    });
  }

  help(): Reply {
    const names = this.deps
      .images()
      .map((image) => image.name)
      .join(', ');
    return reply('info', ['ContainerLease lends you a short-lived container.'], {
      body: [
        ...Object.values(USAGE).map((usage): Line => [{ code: usage }]),
        [`Images: ${names}. Minutes can be written 90, 90m or 2h.`],
      ],
    });
  }

  /** Said when the console quits while some of its user's leases still run: how many, and when they go. */
  stillRunning(leases: readonly LeaseView[]): Reply {
    const count = leases.length === 1 ? '1 lease is' : `${leases.length} leases are`;
    return reply('warning', [`${count} still running.`], {
      body: [
        ...leases.map(
          (lease): Line => [
            { code: lease.id },
            ` (${lease.imageType}) expires `,
            { time: lease.expiresAt, style: 'full' },
            ' (',
            { time: lease.expiresAt, style: 'relative' },
            ')',
          ],
        ),
        [
          'Each is removed at its expiry by a running ContainerLease; with none running, at the next start or by ',
          { code: 'npm run cleanup' },
          '.',
        ],
      ],
    });
  }

  grammarError(error: GrammarError): Reply {
    const usage = 'command' in error ? `Usage: ${USAGE[error.command]}` : USAGE_LINE;
    return reply('error', [describeGrammarError(error)], { body: [[usage]], errorCode: 'validation' });
  }

  error(error: CodedError): Reply {
    const body: Line[] = error.code === 'validation' ? [[USAGE_LINE]] : [];
    return reply('error', [error.message], { body, errorCode: error.code });
  }

  notice(notice: Notice): Reply {
    const lease = {
      id: notice.leaseId,
      owner: notice.owner,
      hardCapAt: notice.hardCapAt,
      expiresAt: notice.expiresAt,
    };
    const logsUrl = this.deps.links.logsUrl(lease);
    const leaseName: Line = ['Your ', { strong: notice.imageType }, ' lease ', { code: notice.leaseId }];
    if (notice.kind === 'warning') {
      return reply('warning', [...leaseName, ' ends ', { time: notice.expiresAt, style: 'relative' }], {
        body: [
          [
            'It will be removed at ',
            { time: notice.expiresAt, style: 'full' },
            '. Extend it to keep working.',
          ],
        ],
        actions: leaseActions(
          lease,
          { logsUrl, terminalUrl: this.deps.links.terminalUrl(lease) },
          this.maxMinutes(notice.imageType),
          this.deps.clock.now(),
        ).filter((action) => action.kind !== 'stop'),
      });
    }
    if (notice.kind === 'expired') {
      return reply('info', [...leaseName, ' expired and its container was removed.'], {
        body: [
          [
            'It ended at ',
            { time: notice.expiresAt, style: 'full' },
            '. Start another with ',
            { code: `/lease provision ${notice.imageType}` },
            '.',
          ],
        ],
        actions: [{ kind: 'link', url: logsUrl, label: 'Final logs' }],
      });
    }
    if (notice.kind === 'disk') {
      return reply('warning', [...leaseName, ' was stopped: its container wrote more than its disk limit.'], {
        body: [
          [
            'Each lease may write a limited amount to its own disk, and this one went past it, so its container was removed. Start another with ',
            { code: `/lease provision ${notice.imageType}` },
            ' and keep large files out of it.',
          ],
        ],
        actions: [{ kind: 'link', url: logsUrl, label: 'Final logs' }],
      });
    }
    if (notice.kind === 'stopped') {
      return reply(
        'warning',
        [...leaseName, ' was stopped by ', { code: notice.stoppedBy ?? 'an admin' }, '.'],
        {
          body: [
            notice.reason ? ['Reason: ', notice.reason] : ['No reason was given.'],
            [
              'Its container was removed. Start another with ',
              { code: `/lease provision ${notice.imageType}` },
              '.',
            ],
          ],
          actions: [{ kind: 'link', url: logsUrl, label: 'Final logs' }],
        },
      );
    }
    return reply('warning', [...leaseName, ' was closed: its container disappeared.'], {
      body: [
        [
          'It was removed outside ContainerLease. Start another with ',
          { code: `/lease provision ${notice.imageType}` },
          '.',
        ],
      ],
    });
  }

  /**
   * The notice for a place others can read (a Discord channel when the owner blocks DMs, the app's
   * log): without its links, since a logs link shows the lease's logs to whoever holds it, and
   * saying how the owner gets one instead.
   */
  sharedNotice(notice: Notice): Reply {
    const full = this.notice(notice);
    const links = full.actions.filter((action) => action.kind === 'link');
    if (links.length === 0) return full;
    return {
      ...full,
      body: [
        ...full.body,
        ['Get the link to its logs with ', { code: `/lease logs ${notice.leaseId}` }, '.'],
      ],
      actions: full.actions.filter((action) => action.kind !== 'link'),
    };
  }

  private card(lease: LeaseView, admin = false) {
    return leaseCard(lease, this.maxMinutes(lease.imageType), this.deps.clock.now(), admin);
  }

  private maxMinutes(imageType: string): number {
    return (
      this.deps.images().find((image) => image.name === imageType)?.maxLeaseMinutes ??
      this.deps.defaultMaxMinutes
    );
  }
}

/** Audit lines a chat reply shows; the API has every entry. */
const MAX_AUDIT_LINES = 20;
/** Rows per grouping in a usage reply. */
const MAX_USAGE_ROWS = 10;

function auditLine(entry: AuditEntry): Line {
  // Sorted: Redis's cjson writes an object's keys in no fixed order.
  const params = Object.entries(entry.params)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return [
    { time: entry.at, style: 'full' },
    ' ',
    { strong: entry.action },
    ' by ',
    { code: entry.actor },
    `: ${entry.outcome}${params ? ` (${params})` : ''}`,
  ];
}

/** A command as shown in a title: its first 80 characters. */
function shortCommand(command: string): string {
  const line = command.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function terminalAction(lease: LeaseView) {
  return { kind: 'link', url: lease.terminalUrl, label: 'Open terminal' } as const;
}

export function describeGrammarError(error: GrammarError): string {
  switch (error.identifier) {
    case 'unknown_command':
      return `I don't know "/lease ${error.word}".`;
    case 'missing_argument':
      return `/lease ${error.command} needs ${error.argument}.`;
    case 'unexpected_argument':
      return `/lease ${error.command} does not take "${error.value}".`;
    case 'invalid_minutes':
      return `"${error.value.slice(0, 40)}" is not a number of minutes (try 30, 90m or 2h).`;
    case 'invalid_port':
      return `"${error.value.slice(0, 40)}" is not a port (a whole number from 1 to 65535, e.g. 8000).`;
    case 'too_long':
      return `That command is too long (${error.length} characters).`;
  }
}

function portLinkLine(link: LeasePortLink): Line {
  return [
    'The link works until ',
    { time: link.expiresAt, style: 'full' },
    ` for whatever listens on port ${link.port} (on 0.0.0.0) in the container; keep it to yourself.`,
  ];
}

function portAction(link: LeasePortLink) {
  return { kind: 'link', url: link.url, label: `Open port ${link.port}` } as const;
}
