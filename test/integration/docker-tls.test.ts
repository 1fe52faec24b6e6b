import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../../src/core/adapters/docker/docker-runtime.js';
import { ConfigError } from '../../src/core/errors.js';

/** A certificate authority, and certificates it signs, made with openssl in `dir`. */
function makeAuthority(
  dir: string,
  name: string,
): { issue(file: string, subject: string, extension: string): void } {
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  );
  return {
    issue: (file, subject, extension) => {
      writeFileSync(join(dir, `${file}.ext`), `${extension}\n`);
      openssl(
        'req',
        ...ecKey,
        '-keyout',
        `${file}-key.pem`,
        '-out',
        `${file}.csr`,
        '-subj',
        `/CN=${subject}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        `${file}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca-key.pem',
        '-CAcreateserial',
        '-out',
        `${file}.pem`,
        '-days',
        '1',
        '-extfile',
        `${file}.ext`,
      );
    },
  };
}

/** A folder laid out as DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem. */
function certPath(caDir: string, clientFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-docker-certs-'));
  writeFileSync(join(dir, 'ca.pem'), readFileSync(join(caDir, 'ca.pem')));
  writeFileSync(join(dir, 'cert.pem'), readFileSync(join(caDir, `${clientFile}.pem`)));
  writeFileSync(join(dir, 'key.pem'), readFileSync(join(caDir, `${clientFile}-key.pem`)));
  return dir;
}

// An engine reached over the network with DOCKER_TLS_VERIFY: a TLS server that, like dockerd with
// --tlsverify, answers /_ping only to a client certificate its CA signed.
describe('DOCKER_HOST over TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', () => {
  const root = mkdtempSync(join(tmpdir(), 'cl-docker-tls-'));
  const pings: string[] = [];
  let server: Server;
  let host = '';

  beforeAll(async () => {
    const engineCa = makeAuthority(join(root, 'engine'), 'engine-ca');
    engineCa.issue('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1');
    engineCa.issue('client', 'containerlease', 'extendedKeyUsage=clientAuth');
    makeAuthority(join(root, 'other'), 'other-ca').issue('client', 'stranger', 'extendedKeyUsage=clientAuth');
    const engine = join(root, 'engine');
    server = createServer(
      {
        key: readFileSync(join(engine, 'server-key.pem')),
        cert: readFileSync(join(engine, 'server.pem')),
        ca: readFileSync(join(engine, 'ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        pings.push(`${request.url} from ${(request.socket as TLSSocket).getPeerCertificate().subject.CN}`);
        response.end('OK');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    host = `tcp://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const ping = (tlsCertPath?: string) => {
    const { docker, where } = connectDocker(host, tlsCertPath);
    return new DockerRuntime(docker, where).ping();
  };

  it('GIVEN the certificates of the engine CA THEN it speaks TLS and shows its client certificate', async () => {
    const { where } = connectDocker(host, certPath(join(root, 'engine'), 'client'));
    expect(where).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await ping(certPath(join(root, 'engine'), 'client'));
    expect(pings).toContain('/_ping from containerlease');
  });

  it('GIVEN no certificates THEN the engine is unreachable', async () => {
    const before = pings.length;
    await expect(ping()).rejects.toMatchObject({ code: 'runtime_unavailable' });
    expect(pings).toHaveLength(before);
  });

  it('GIVEN certificates of another CA THEN the engine is not trusted and it is unreachable', async () => {
    const before = pings.length;
    await expect(ping(certPath(join(root, 'other'), 'client'))).rejects.toMatchObject({
      code: 'runtime_unavailable',
      message: expect.stringContaining(
        "the TLS handshake failed: are DOCKER_CERT_PATH's certificates the engine's?",
      ),
    });
    expect(pings).toHaveLength(before);
  });

  it('GIVEN a folder without the certificates THEN a configuration error names the missing file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cl-docker-certs-'));
    expect(() => connectDocker(host, empty)).toThrow(ConfigError);
    expect(() => connectDocker(host, empty)).toThrow(`${join(empty, 'ca.pem')}: ENOENT`);
  });
});
