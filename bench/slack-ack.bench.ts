import { SlackWebApiFake } from '../test/fakes/slack-web-api-fake.js';
import { FORM, formBody, type SlackUser, slackSignature, slashCommand } from '../test/fakes/slack-wire.js';
import { Child } from './lib/child.js';
import { closeScope, openScope } from './lib/janitor.js';
import type { BenchRow } from './lib/report.js';
import { percentile, round, times } from './lib/stats.js';

const IN_FLIGHT = 50;
const WARM_UP_BURSTS = 2;
const ENGINE_DELAY_MS = 100;
const TARGET = 1.5;
/** "Far inside Slack's 3 s": a tenth of it. */
const CEILING_MS = 300;

type Side = 'ours' | 'bare';
type Reply = { type: 'ready'; url: string };

export interface SlackAckOptions {
  /** Bursts of `IN_FLIGHT` commands sent to each side, alternating sides burst by burst. */
  readonly bursts: number;
}

/**
 * Ack latency of `/lease provision busybox 30` over signed HTTP with `IN_FLIGHT` commands in flight
 * (50 users sending at the same moment), against a bare Bolt app that only acks. Both servers run
 * in child processes; Slack's side (the senders and the response_url endpoint that receives our
 * follow-ups) runs here. Bursts alternate between the sides; a burst to ours is over when every
 * follow-up has arrived, so its provisioning never overlaps the bare side's burst.
 */
export async function benchSlackAck(options: SlackAckOptions): Promise<BenchRow[]> {
  const scope = openScope();
  const slack = await SlackWebApiFake.start();
  const server = (env: NodeJS.ProcessEnv) =>
    new Child<Reply>(new URL('./slack-ack-server.ts', import.meta.url), env);
  const servers: Record<Side, Child<Reply>> = {
    ours: server({
      BENCH_SLACK: 'ours',
      BENCH_PREFIX: scope.prefix,
      BENCH_INSTANCE: scope.instanceId,
      BENCH_SLACK_API_URL: slack.apiUrl,
      BENCH_ENGINE_DELAY_MS: String(ENGINE_DELAY_MS),
    }),
    bare: server({ BENCH_SLACK: 'bare' }),
  };
  const latencies: Record<Side, number[]> = { ours: [], bare: [] };
  try {
    const urls = {
      ours: (await servers.ours.next('ready')).url,
      bare: (await servers.bare.next('ready')).url,
    };
    let oursSent = 0;
    for (let b = 0; b < WARM_UP_BURSTS + options.bursts; b += 1) {
      const order: Side[] = b % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
      for (const side of order) {
        const times = await burst(urls[side], `${slack.origin}/hooks/${side}`);
        if (b >= WARM_UP_BURSTS) latencies[side].push(...times);
        if (side !== 'ours') continue;
        oursSent += IN_FLIGHT;
        await withinMs(slack.waitForCalls('/hooks/ours', oursSent), 60_000, 'the follow-ups of a burst');
      }
    }
  } finally {
    await Promise.all([servers.ours.stop(), servers.bare.stop()]);
    await slack.close();
    await closeScope(scope);
  }
  return rows(latencies, options);
}

/** `IN_FLIGHT` signed slash commands from as many users at once; each ack's latency in ms. */
async function burst(url: string, responseUrl: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, index) => {
      const who: SlackUser = { team: 'T0BENCH', user: `U0BENCH${index}`, channel: 'C0BENCH' };
      const body = formBody(slashCommand('provision busybox 30', who, responseUrl));
      const started = performance.now();
      const response = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...slackSignature(body) },
        body,
      });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text}`);
      return ms;
    }),
  );
}

function rows(latencies: Record<Side, number[]>, options: SlackAckOptions): BenchRow[] {
  const at = (side: Side, p: number) => percentile(latencies[side], p);
  const p99 = at('ours', 99) / at('bare', 99);
  const p50 = at('ours', 50) / at('bare', 50);
  const note =
    `${options.bursts} bursts of ${IN_FLIGHT} commands (from ${IN_FLIGHT} users at the same moment) per side after ` +
    `${WARM_UP_BURSTS} warm-up bursts, the sides alternating burst by burst; ` +
    `each server in its own process; ours provisions after the ack through LeaseService on real Redis, with ` +
    `FakeRuntime standing in for Docker (every engine call ${ENGINE_DELAY_MS} ms, a timer) so the engine's CPU ` +
    `does not weigh on one side only, and sends the result to response_url; a burst to ours ends when every ` +
    `follow-up has arrived. Worst ack: ours ${round(at('ours', 100))} ms, bare ${round(at('bare', 100))} ms.`;
  return [
    {
      name: 'Slack ack p50, `/lease provision`, 50 in flight',
      ours: `${round(at('ours', 50))} ms`,
      baseline: `${round(at('bare', 50))} ms (Bolt ExpressReceiver that only acks)`,
      ratio: times(p50),
      target: 'report',
      verdict: 'info',
      note,
    },
    {
      name: 'Slack ack p99, `/lease provision`, 50 in flight',
      ours: `${round(at('ours', 99))} ms`,
      baseline: `${round(at('bare', 99))} ms (Bolt ExpressReceiver that only acks)`,
      ratio: times(p99),
      target: `≤ ${TARGET}× and ≤ ${CEILING_MS} ms (a tenth of Slack's 3 s)`,
      verdict: p99 <= TARGET && at('ours', 99) <= CEILING_MS ? 'met' : 'missed',
      analysis:
        `At p99 ours acked in ${round(at('ours', 99))} ms against ${round(at('bare', 99))} ms for the bare app ` +
        `(p50 ${round(at('ours', 50))} ms against ${round(at('bare', 50))} ms).`,
    },
  ];
}

async function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
