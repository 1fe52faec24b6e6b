import { expect, it } from 'vitest';
import { describeWith } from '../../support/services.js';
import { call } from '../../support/web-client.js';
import { startWebFixture } from '../../support/web-fixture.js';

describeWith({ redis: true, docker: true })('The web server after it listens', () => {
  it('GIVEN accepting a connection fails (EMFILE, reported as the server’s error) THEN the server carries on', async () => {
    const f = await startWebFixture();
    try {
      const failure = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' });
      expect(() => f.web.server.emit('error', failure)).not.toThrow();
      expect((await call(f.web.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});
