import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { newLeaseId } from '../../src/core/domain/lease-id.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { TEST_IMAGE, testRedis } from '../support/services.js';
import { RawWebSocket } from '../support/web-raw-socket.js';
import { type FrameCase, frame, OPCODE } from './websocket-frames.js';

/** A lease whose log socket a viewer can open, and how the server treats that socket. */
export interface SocketState {
  readonly name: string;
  /** `/logs/<id>?token=…`, `/terminal/<id>` */
  readonly path: string;
  /** Credentials sent with the upgrade besides the Origin (a bearer token, a cookie). */
  readonly headers?: Record<string, string>;
  /** The code the server closes the socket with at once; none while the lease streams. */
  readonly closeCode?: number;
}

export interface StateSetup {
  readonly url: string;
  readonly apiToken: string;
  readonly linkSecret: string;
  /** The app's REDIS_PREFIX, to write a lease that stays provisioning. */
  readonly prefix: string;
  /** The owner `api:<name>` of `apiToken`. */
  readonly owner: string;
}

/** A busybox lease of the API caller, provisioned over REST. */
export async function provisionLease(
  setup: Pick<StateSetup, 'url' | 'apiToken'>,
): Promise<{ id: string; logsUrl: string }> {
  const response = await fetch(`${setup.url}/api/provision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${setup.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ imageType: 'busybox', durationMinutes: 5 }),
  });
  if (response.status !== 201) throw new Error(`provision answered ${response.status}`);
  return (await response.json()) as { id: string; logsUrl: string };
}

/** One lease in each state a log socket can meet: ended (4000), still provisioning (4002), running. */
export async function logSocketStates(setup: StateSetup): Promise<SocketState[]> {
  const provision = async () => {
    const lease = await provisionLease(setup);
    return { id: lease.id, path: `/logs/${lease.id}${new URL(lease.logsUrl).search}` };
  };
  const ended = await provision();
  const stopped = await fetch(`${setup.url}/api/containers/${ended.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${setup.apiToken}` },
  });
  if (stopped.status !== 204) throw new Error(`stop answered ${stopped.status}`);
  const live = await provision();
  return [
    { name: 'ended', path: ended.path, closeCode: 4000 },
    { name: 'provisioning', path: await provisioningLease(setup), closeCode: 4002 },
    { name: 'live', path: live.path },
  ];
}

/** A lease record that stays `provisioning` (no container yet), written straight to the store; its logs path. */
async function provisioningLease(setup: StateSetup): Promise<string> {
  const id = await provisioningRecord(setup);
  const token = new LinkTokens(setup.linkSecret, Date.now).sign({
    leaseId: id,
    owner: setup.owner,
    scope: 'logs',
    exp: Date.now() + 3_600_000,
  });
  return `/logs/${id}?token=${token}`;
}

/** The id of a lease record that stays `provisioning`. */
export async function provisioningRecord(setup: StateSetup): Promise<string> {
  const redis = testRedis();
  const id = newLeaseId();
  const now = Date.now();
  try {
    await new RedisLeaseStore(redis, new RedisKeys(setup.prefix), { warnBeforeMs: 0 }).create(
      {
        id,
        owner: setup.owner,
        team: 'api',
        notify: { platform: 'api', user: setup.owner.slice('api:'.length) },
        imageType: 'busybox',
        image: TEST_IMAGE,
        createdAt: now,
        expiresAt: now + 3_600_000,
        hardCapAt: now + 3_600_000,
      },
      { maxPerUser: 100, maxActive: 100, maxPerTeam: 0, provisionTimeoutMs: 3_600_000 },
    );
  } finally {
    redis.disconnect();
  }
  return id;
}

/** When the bad bytes go: with the upgrade request, after the server's close frame, or while lines stream. */
export type Timing = 'with the upgrade' | 'after the server closed' | 'while streaming';

export function timingsOf(state: SocketState): Timing[] {
  return state.closeCode === undefined
    ? ['while streaming']
    : ['with the upgrade', 'after the server closed'];
}

/** How long a case may take to end the connection before the client hangs up itself. */
const SETTLE_MS = 300;

/**
 * Opens a log socket in `state` and sends `test`'s bytes at `timing`; resolves once the server
 * ended the connection or it stayed quiet for a moment. Throws when the socket was not what the
 * state promised (101, then the close code).
 */
export async function sendFrames(
  url: string,
  state: SocketState,
  test: FrameCase,
  timing: Timing,
): Promise<void> {
  const headers = { origin: url, ...state.headers };
  const pipelined = timing === 'with the upgrade';
  const socket = await RawWebSocket.open(url, state.path, {
    headers,
    pipelined: pipelined ? test.bytes : undefined,
  });
  try {
    if (socket.status !== 101) throw new Error(`the ${state.name} socket answered ${socket.status}`);
    if (pipelined) {
      if (test.end) socket.send(Buffer.alloc(0), true);
    } else {
      if (timing === 'after the server closed')
        await socket.until(() => socket.closeCode !== undefined, 5_000);
      else await socket.until(() => false, 50);
      if (state.closeCode !== undefined && socket.closeCode !== state.closeCode) {
        throw new Error(`the ${state.name} socket closed with ${socket.closeCode}, not ${state.closeCode}`);
      }
      socket.send(test.bytes, test.end);
    }
    await socket.until(() => socket.isClosed, SETTLE_MS);
  } finally {
    socket.destroy();
  }
}

/** A client that misbehaves around the frames rather than in them; `check` runs while it does. */
export interface ConnectionCase {
  readonly name: string;
  run(url: string, state: SocketState, check: () => Promise<void>): Promise<void>;
}

const expectUpgraded = (socket: RawWebSocket, state: SocketState) => {
  if (socket.status !== 101) throw new Error(`the ${state.name} socket answered ${socket.status}`);
};

export const CONNECTION_CASES: readonly ConnectionCase[] = [
  {
    name: 'a client that vanishes (never reads, never closes)',
    async run(url, state, check) {
      const socket = await RawWebSocket.open(url, state.path, { headers: { origin: url, ...state.headers } });
      expectUpgraded(socket, state);
      socket.socket.pause();
      await check();
      socket.destroy();
    },
  },
  {
    name: 'a TCP reset in the middle of a frame',
    async run(url, state, check) {
      const socket = await RawWebSocket.open(url, state.path, { headers: { origin: url, ...state.headers } });
      expectUpgraded(socket, state);
      socket.send(frame({ opcode: OPCODE.text, payload: 'x'.repeat(200) }).subarray(0, 60));
      socket.reset();
      await check();
    },
  },
  {
    name: 'an upgrade request trickled 16 bytes at a time',
    async run(url, state, check) {
      const trickled = RawWebSocket.open(url, state.path, {
        headers: { origin: url, ...state.headers },
        trickle: { bytes: 16, everyMs: 10 },
      });
      await check();
      const socket = await trickled;
      expectUpgraded(socket, state);
      socket.destroy();
    },
  },
  {
    name: 'an upgrade request whose headers never end',
    async run(url, state, check) {
      const socket = await RawWebSocket.connect(url, state.path, {
        headers: { origin: url, ...state.headers },
        unfinished: true,
      });
      await check();
      socket.destroy();
    },
  },
];
