import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerFromEnvironment } from '../../../src/bots/discord/register-commands.js';
import { APP_ID, DISCORD_TOKEN, GUILD_ID } from '../../fakes/discord-payloads.js';
import { DiscordRestFake } from '../../fakes/discord-rest-fake.js';

const SCRIPT = join(import.meta.dirname, '../../../dist/bots/discord/register.js');

const id = {
  autocomplete: true,
  type: 3,
  name: 'id',
  description: 'The lease id',
  required: true,
  max_length: 40,
};

/** The exact JSON registered for a two-image catalog and LEASE_MAX_MINUTES=240. */
const EXPECTED = {
  name: 'lease',
  description: 'Borrow a short-lived container',
  contexts: [0, 1],
  type: 1,
  options: [
    {
      type: 1,
      name: 'provision',
      description: 'Start a container for a while',
      options: [
        {
          type: 3,
          name: 'image',
          description: 'What to run',
          required: true,
          choices: [
            { name: 'ubuntu — Ubuntu 24.04 LTS', value: 'ubuntu' },
            { name: 'alpine — Alpine Linux 3.20', value: 'alpine' },
          ],
        },
        {
          type: 4,
          name: 'minutes',
          description: 'How long it lives, in minutes (at most 240)',
          required: false,
          min_value: 1,
          max_value: 240,
        },
        {
          type: 4,
          name: 'port',
          description: 'A port to open once it runs: the answer carries its link',
          required: false,
          min_value: 1,
          max_value: 65535,
        },
      ],
    },
    {
      type: 1,
      name: 'list',
      description: 'Your leases',
      options: [{ type: 5, name: 'all', description: 'Every lease (admins only)', required: false }],
    },
    { type: 1, name: 'stop', description: 'Stop a lease and remove its container', options: [id] },
    {
      type: 1,
      name: 'extend',
      description: 'Give a lease more time',
      options: [
        id,
        {
          type: 4,
          name: 'minutes',
          description: 'Minutes to add',
          required: true,
          min_value: 1,
          max_value: 240,
        },
      ],
    },
    { type: 1, name: 'logs', description: "Open a lease's live logs", options: [id] },
    {
      type: 1,
      name: 'exec',
      description: "Run a command in a lease's container (sh -c, 30 s)",
      options: [
        id,
        {
          type: 3,
          name: 'command',
          description: 'The command, e.g. uname -a',
          required: true,
          max_length: 4096,
        },
      ],
    },
    {
      type: 1,
      name: 'open',
      description: 'A link to a port of a lease, e.g. a web app on 8000',
      options: [
        id,
        {
          type: 4,
          name: 'port',
          description: 'The port the app listens on',
          required: true,
          min_value: 1,
          max_value: 65535,
        },
      ],
    },
    { type: 1, name: 'images', description: 'The images you can provision', options: [] },
    { type: 1, name: 'help', description: 'How to use /lease', options: [] },
    {
      type: 2,
      name: 'admin',
      description: 'For admins: any lease, the audit trail, usage',
      options: [
        {
          type: 1,
          name: 'stop',
          description: "Stop anyone's lease; its owner is told",
          options: [
            id,
            { type: 3, name: 'reason', description: 'Why, for its owner', required: false, max_length: 200 },
          ],
        },
        { type: 1, name: 'list', description: 'Every lease, with owner, team and time left', options: [] },
        { type: 1, name: 'audit', description: "A lease's audit trail", options: [id] },
        {
          type: 1,
          name: 'usage',
          description: 'Lease-minutes by team, owner and image',
          options: [
            {
              type: 4,
              name: 'days',
              description: 'Over how many days (default 7, at most 90)',
              required: false,
              min_value: 1,
              max_value: 90,
            },
          ],
        },
      ],
    },
  ],
};

describe('npm run discord:register: bulk overwrite of /lease, in one server or globally', () => {
  let rest: DiscordRestFake;
  let env: Record<string, string>;

  beforeEach(async () => {
    rest = await DiscordRestFake.start();
    const dir = mkdtempSync(join(tmpdir(), 'discord-register-'));
    const imagesFile = join(dir, 'images.json');
    writeFileSync(
      imagesFile,
      JSON.stringify({
        ubuntu: { image: 'ubuntu:24.04', description: 'Ubuntu 24.04 LTS' },
        alpine: { image: 'alpine:3.20', description: 'Alpine Linux 3.20' },
      }),
    );
    env = {
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: rest.api,
      IMAGES_FILE: imagesFile,
      LEASE_MAX_MINUTES: '240',
    };
  });

  afterEach(() => rest.close());

  it('GIVEN DISCORD_GUILD_ID THEN PUT /applications/{app}/guilds/{guild}/commands with exactly the /lease JSON', async () => {
    const summary = await registerFromEnvironment({ ...env, DISCORD_GUILD_ID: GUILD_ID });
    const [put] = rest.requests;
    expect(rest.requests).toHaveLength(1);
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put?.headers.authorization).toBe(`Bot ${DISCORD_TOKEN}`);
    expect(put?.body).toEqual([EXPECTED]);
    expect(summary).toBe(`Registered /lease (1 command) in server ${GUILD_ID}; it is available now.`);
  });

  it('GIVEN no DISCORD_GUILD_ID THEN PUT /applications/{app}/commands, the global commands', async () => {
    const summary = await registerFromEnvironment(env);
    expect(rest.requests.map((request) => [request.method, request.path])).toEqual([
      ['PUT', `/applications/${APP_ID}/commands`],
    ]);
    expect(rest.requests[0]?.body).toEqual([EXPECTED]);
    expect(summary).toContain('globally');
  });

  it('GIVEN no DISCORD_TOKEN THEN a config error naming both variables, and nothing is sent', async () => {
    const { DISCORD_TOKEN: _, ...withoutToken } = env;
    await expect(registerFromEnvironment(withoutToken)).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set'),
    });
    expect(rest.requests).toEqual([]);
  });

  describe('the compiled script, run as `npm run discord:register` runs it', () => {
    function run(extra: Record<string, string | undefined>) {
      if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run npm run build first`);
      const childEnv = { PATH: process.env.PATH ?? '', ...env, ...extra };
      return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [SCRIPT],
          { env: childEnv as NodeJS.ProcessEnv },
          (error, stdout, stderr) => {
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
          },
        );
      });
    }

    it('GIVEN the environment THEN it registers in the server and says so on one line', async () => {
      const result = await run({ DISCORD_GUILD_ID: GUILD_ID });
      expect(result).toEqual({
        code: 0,
        stdout: `Registered /lease (1 command) in server ${GUILD_ID}; it is available now.\n`,
        stderr: '',
      });
      expect(rest.requests[0]?.body).toEqual([EXPECTED]);
    });

    it('GIVEN DISCORD_TOKEN missing THEN exit 2 with one clear line and no stack trace', async () => {
      const result = await run({ DISCORD_TOKEN: undefined, DISCORD_APPLICATION_ID: undefined });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'discord:register: DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register commands (both are on the Discord developer portal)\n',
      );
    });

    it('GIVEN DISCORD_APPLICATION_ID missing THEN exit 2 naming it', async () => {
      const result = await run({ DISCORD_APPLICATION_ID: undefined });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^discord:register: DISCORD_APPLICATION_ID must be set[^\n]*\n$/);
    });

    it('GIVEN Discord refuses the token (401) THEN exit 1 with one line saying so', async () => {
      rest.failNext('PUT', /commands$/, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
      const result = await run({});
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'discord:register: Discord refused the commands (HTTP 401): 401: Unauthorized\n',
      );
    });
  });
});
