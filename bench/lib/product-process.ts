import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordGatewayFake } from '../../test/fakes/discord-gateway-fake.js';
import { APP_ID } from '../../test/fakes/discord-payloads.js';
import { DiscordRestFake } from '../../test/fakes/discord-rest-fake.js';
import { discordKeyPair } from '../../test/fakes/discord-signing.js';
import { SlackWebApiFake } from '../../test/fakes/slack-web-api-fake.js';
import { SIGNING_SECRET } from '../../test/fakes/slack-wire.js';
import { writeTestCatalog } from '../../test/support/app-process.js';
import { type BenchScope, REDIS_URL, trackChild } from './janitor.js';

export const PRODUCT_API_TOKEN = 'bench-footprint-token-0123456789';

export interface Product {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The built product as an operator runs it, with the web server, the cleanup job, Slack in HTTP
 * mode and Discord (gateway and HTTP interactions) all started against local fakes of both
 * platforms, as test/e2e/chat-platforms.test.ts starts it (`chat: false`: no chat platform
 * configured). `API_TOKENS` holds `bench`. `nodeFlags`: Node's flags, as `npm start` gives them.
 */
export async function startProduct(
  mainJs: string,
  scope: BenchScope,
  options: { readonly chat?: boolean; readonly nodeFlags?: readonly string[] } = {},
): Promise<Product> {
  const slack = await SlackWebApiFake.start();
  const rest = await DiscordRestFake.start();
  const gateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: '777777777777777777' });
  rest.gatewayUrl = gateway.url;
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-bench-data-'));
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), mainJs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      REDIS_URL,
      REDIS_PREFIX: scope.prefix,
      INSTANCE_ID: scope.instanceId,
      DATA_DIR: dataDir,
      IMAGES_FILE: writeTestCatalog(),
      API_TOKENS: `bench=${PRODUCT_API_TOKEN}`,
      ...(options.chat === false
        ? {}
        : {
            SLACK_BOT_TOKEN: 'xoxb-bench-token',
            SLACK_SIGNING_SECRET: SIGNING_SECRET,
            SLACK_API_URL: `${slack.origin}/api`,
            DISCORD_TOKEN: 'fake-bot-token-0123456789',
            DISCORD_APPLICATION_ID: APP_ID,
            DISCORD_PUBLIC_KEY: discordKeyPair().publicKeyHex,
            DISCORD_API_URL: rest.api,
          }),
      LOG_LEVEL: 'info',
    },
  });
  trackChild(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const closeAll = async () => {
    await Promise.all([slack.close(), rest.close(), gateway.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  let url: string | undefined;
  const deadline = performance.now() + 120_000;
  while (!url) {
    if (performance.now() > deadline) child.kill('SIGKILL');
    url = /"url":"(http:\/\/[^"]+)"[^\n]*ContainerLease is running/.exec(output)?.[1];
    if (exitCode !== undefined) {
      await closeAll();
      throw new Error(`the product exited (${exitCode}) before it was running:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      const code = await exited;
      await closeAll();
      if (code !== 0)
        throw new Error(`the product exited with ${code} when stopped:\n${output.slice(-3000)}`);
    },
  };
}
