// The local Invoke API against a real browser (Debian's chromium via playwright-core): a web page can not
// run a function, neither from another origin (a preflight-free "simple" POST, or a CORS fetch) nor by DNS
// rebinding (the page's own name resolving to 127.0.0.1); the AWS SDK and curl keep working.
import { execFile } from 'child_process';
import * as http from 'http';
import { AddressInfo } from 'net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describeWithBrowser, launchChromium } from './support/browser';
import { InvokeApiServer } from '../../lib/local/service/invoke-api';
import { fakeFunction } from '../local/service/fake-function';

jest.setTimeout(120_000);

const REBIND = 'rebind.evil.example';

describeWithBrowser('Invoke API and a real browser', () => {
  const { fn, started } = fakeFunction(() => ({ payload: Buffer.from('{"ran":true}') }));
  const ran = () => started.reduce((n, s) => n + s.calls.length, 0);
  let api: InvokeApiServer;
  let apiPort: number;
  let page: http.Server;
  let pageOrigin: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  /** What reached the endpoint: method, Host, Origin. */
  const arrived: { method: string; host?: string; origin?: string }[] = [];

  beforeAll(async () => {
    api = new InvokeApiServer({ functions: [fn], maxConcurrency: 1 });
    apiPort = await api.listen(0);
    (api as unknown as { server: http.Server }).server.prependListener('request', (req: http.IncomingMessage) => {
      arrived.push({ method: req.method!, host: req.headers.host, origin: req.headers.origin });
    });
    // The attacker's page, on another local origin (another port).
    page = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>(r => page.listen(0, '127.0.0.1', () => r()));
    pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    // Chromium's own Local Network Access checks would stop a page of unknown address from reaching loopback
    // before the endpoint sees it; other and older browsers have no such check, so it is off here, and what
    // is shown is the endpoint's own refusal.
    chromium = await launchChromium(`MAP ${REBIND} 127.0.0.1`, ['--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests']);
  });

  afterAll(async () => {
    await chromium?.close();
    await new Promise(r => page?.close(r));
    await api?.close();
  });

  beforeEach(() => { arrived.length = 0; });

  const invokePath = '/2015-03-31/functions/S%2FFn/invocations';

  test('a page on another origin: its CORS fetch fails, its no-cors "simple" POST reaches the endpoint and is refused', async () => {
    const tab = await chromium.browser.newPage();
    try {
      await tab.goto(`${pageOrigin}/`);
      const url = `http://127.0.0.1:${apiPort}${invokePath}`;
      const outcome = await tab.evaluate(async target => {
        const results: string[] = [];
        try {
          const r = await fetch(target, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
          results.push(`cors: ${r.status}`);
        } catch (e) { results.push(`cors: ${(e as Error).name}`); }
        try {
          const r = await fetch(target, { method: 'POST', mode: 'no-cors', body: '{}', headers: { 'Content-Type': 'text/plain' } });
          results.push(`no-cors: ${r.type}`);
        } catch (e) { results.push(`no-cors: ${(e as Error).name}`); }
        return results;
      }, url);
      expect(outcome).toEqual(['cors: TypeError', 'no-cors: opaque']);
      // The browser did send them (a preflight, then the simple POST), each with the page's Origin; none ran the function.
      expect(arrived.length).toBeGreaterThanOrEqual(2);
      expect(arrived.every(a => a.origin === pageOrigin)).toBe(true);
      expect(arrived.map(a => a.method)).toContain('POST');
      expect(ran()).toBe(0);
    } finally {
      await tab.close();
    }
  });

  test('a DNS-rebinding page (its name now resolving to 127.0.0.1): same-origin to the browser, refused by Host', async () => {
    const tab = await chromium.browser.newPage();
    try {
      // The page is the attacker's; only its later requests reach the endpoint, under the attacker's name.
      const pageUrl = `http://${REBIND}:${apiPort}/`;
      await tab.route(pageUrl, route => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>rebound</title>' }));
      await tab.goto(pageUrl);
      const outcome = await tab.evaluate(async p => {
        const r = await fetch(p, { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain' } });
        return { status: r.status, type: r.headers.get('x-amzn-errortype'), body: await r.text() };
      }, invokePath);
      expect(outcome.status).toBe(403);
      expect(outcome.type).toBe('AccessDeniedException');
      expect(outcome.body).not.toContain('ran');
      expect(arrived).toEqual([{ method: 'POST', host: `${REBIND}:${apiPort}`, origin: `http://${REBIND}:${apiPort}` }]);
      expect(ran()).toBe(0);
    } finally {
      await tab.close();
    }
  });

  test('the AWS SDK and curl still invoke the function', async () => {
    const client = new LambdaClient({ endpoint: `http://127.0.0.1:${apiPort}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      const r = await client.send(new InvokeCommand({ FunctionName: 'S/Fn', Payload: Buffer.from('{}') }));
      expect(JSON.parse(Buffer.from(r.Payload!).toString())).toEqual({ ran: true });
      const viaLocalhost = new LambdaClient({ endpoint: `http://localhost:${apiPort}`, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
      expect((await viaLocalhost.send(new InvokeCommand({ FunctionName: 'S/Fn' }))).StatusCode).toBe(200);
      viaLocalhost.destroy();
    } finally {
      client.destroy();
    }
    // Asynchronously: the endpoint answers from this same process.
    const curl = await new Promise<string>((resolve, reject) => execFile('curl', ['-s', '-X', 'POST', '-d', '{}', `http://127.0.0.1:${apiPort}${invokePath}`],
      (e, out) => e ? reject(e) : resolve(out)));
    expect(JSON.parse(curl)).toEqual({ ran: true });
    expect(ran()).toBe(3);
  });
});
