import {
  SlashCommandBuilder,
  type SlashCommandStringOption,
  type SlashCommandSubcommandBuilder,
} from '@discordjs/builders';
import {
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { MAX_PORT, MIN_PORT } from '../../core/domain/port-number.js';
import { STOP_REASON_MAX, USAGE_MAX_DAYS } from '../../core/services/admin-service.js';
import { EXEC_MAX_COMMAND_CHARS } from '../../core/services/exec-service.js';
import { choiceName } from './choice-name.js';

/** What the command definition offers: the catalog's images and the longest lease. */
export interface CommandCatalog {
  readonly images: readonly { readonly name: string; readonly description: string }[];
  /** LEASE_MAX_MINUTES: the top of every minutes option. */
  readonly maxMinutes: number;
}

/** Discord allows at most 25 fixed choices; a larger catalog is offered by autocomplete. */
const MAX_CHOICES = 25;

/**
 * `/lease` with one subcommand per verb of the shared grammar. Ids autocomplete from the caller's
 * own leases; images are fixed choices (checked by Discord) or autocomplete for big catalogs.
 */
export function leaseCommand(catalog: CommandCatalog): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const minutes = (sub: SlashCommandSubcommandBuilder, required: boolean, description: string) =>
    sub.addIntegerOption((option) =>
      option
        .setName('minutes')
        .setDescription(description)
        .setRequired(required)
        .setMinValue(1)
        .setMaxValue(catalog.maxMinutes),
    );
  const port = (sub: SlashCommandSubcommandBuilder, required: boolean, description: string) =>
    sub.addIntegerOption((option) =>
      option
        .setName('port')
        .setDescription(description)
        .setRequired(required)
        .setMinValue(MIN_PORT)
        .setMaxValue(MAX_PORT),
    );
  const leaseId = (sub: SlashCommandSubcommandBuilder) =>
    sub.addStringOption((option) =>
      option
        .setName('id')
        .setDescription('The lease id')
        .setRequired(true)
        .setAutocomplete(true)
        .setMaxLength(40),
    );
  return new SlashCommandBuilder()
    .setName('lease')
    .setDescription('Borrow a short-lived container')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addSubcommand((sub) =>
      port(
        minutes(
          sub
            .setName('provision')
            .setDescription('Start a container for a while')
            .addStringOption((option) => imageOption(option, catalog)),
          false,
          `How long it lives, in minutes (at most ${catalog.maxMinutes})`,
        ),
        false,
        'A port to open once it runs: the answer carries its link',
      ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription('Your leases')
        .addBooleanOption((option) => option.setName('all').setDescription('Every lease (admins only)')),
    )
    .addSubcommand((sub) =>
      leaseId(sub.setName('stop').setDescription('Stop a lease and remove its container')),
    )
    .addSubcommand((sub) =>
      minutes(
        leaseId(sub.setName('extend').setDescription('Give a lease more time')),
        true,
        'Minutes to add',
      ),
    )
    .addSubcommand((sub) => leaseId(sub.setName('logs').setDescription("Open a lease's live logs")))
    .addSubcommand((sub) =>
      leaseId(
        sub.setName('exec').setDescription("Run a command in a lease's container (sh -c, 30 s)"),
      ).addStringOption((option) =>
        option
          .setName('command')
          .setDescription('The command, e.g. uname -a')
          .setRequired(true)
          .setMaxLength(EXEC_MAX_COMMAND_CHARS),
      ),
    )
    .addSubcommand((sub) =>
      port(
        leaseId(sub.setName('open').setDescription('A link to a port of a lease, e.g. a web app on 8000')),
        true,
        'The port the app listens on',
      ),
    )
    .addSubcommand((sub) => sub.setName('images').setDescription('The images you can provision'))
    .addSubcommand((sub) => sub.setName('help').setDescription('How to use /lease'))
    .addSubcommandGroup((group) =>
      group
        .setName('admin')
        .setDescription('For admins: any lease, the audit trail, usage')
        .addSubcommand((sub) =>
          leaseId(
            sub.setName('stop').setDescription("Stop anyone's lease; its owner is told"),
          ).addStringOption((option) =>
            option.setName('reason').setDescription('Why, for its owner').setMaxLength(STOP_REASON_MAX),
          ),
        )
        .addSubcommand((sub) =>
          sub.setName('list').setDescription('Every lease, with owner, team and time left'),
        )
        .addSubcommand((sub) => leaseId(sub.setName('audit').setDescription("A lease's audit trail")))
        .addSubcommand((sub) =>
          sub
            .setName('usage')
            .setDescription('Lease-minutes by team, owner and image')
            .addIntegerOption((option) =>
              option
                .setName('days')
                .setDescription(`Over how many days (default 7, at most ${USAGE_MAX_DAYS})`)
                .setMinValue(1)
                .setMaxValue(USAGE_MAX_DAYS),
            ),
        ),
    )
    .toJSON();
}

function imageOption(option: SlashCommandStringOption, catalog: CommandCatalog): SlashCommandStringOption {
  option.setName('image').setDescription('What to run').setRequired(true);
  if (catalog.images.length > MAX_CHOICES) return option.setAutocomplete(true);
  return option.addChoices(
    ...catalog.images.map((image) => ({ name: choiceName(image), value: image.name })),
  );
}
