/**
 * `npm start` (serve without a portal, the local simulator): the inspector is on, on loopback,
 * without a token, with operator actions and the playground.
 */
import { cleanEnv, startCliProcess, waitForOutput } from '../cli/run-cli-process';

jest.setTimeout(60_000);

it('serves the inspector and the playground to this machine when no portal is configured', async () => {
  const child = startCliProcess(
    ['serve', 'bots/support'],
    cleanEnv({ PORT: '0', OPENLINES_STORE: 'memory:' }),
  );
  try {
    const [, url, base] = await waitForOutput(
      child,
      /Inspector: ((http:\/\/127\.0\.0\.1:\d+)\/inspector) \(this machine, operator actions on\) {3}Playground: http:\/\/127\.0\.0\.1:\d+\/inspector\/play/,
      45_000,
    );
    const list = await fetch(`${url}/api/dialogs`);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ actions: true, development: true, dialogs: [] });
    const page = await fetch(`${url}/`);
    expect(await page.text()).toContain(`href="/inspector/play"`);
    const play = await fetch(`${base}/inspector/play/api/state`);
    expect(play.status).toBe(200);
    expect(await play.json()).toMatchObject({ bot: 'support', session: expect.any(String) });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});
