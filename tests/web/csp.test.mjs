// Browser tests of the page's Content-Security-Policy (the meta tag in web/index.html) and of the
// watch that makes every browser test fail on a violation (watchPolicy in browser.mjs): inline
// script, eval, new Function, a style attribute and a fetch of a data: URL are refused, each as a
// recorded error; a link's data= on another origin downloads and trains. Not what the policy
// allows the page's own code to do (every other browser test runs under it with the watch on).
import test from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, startSite, openPage, checkNoErrors, byTestId, waitForState } from './browser.mjs';

const LONG = 60_000;
const env = siteAndBrowser();

// A script of the site's own origin (script-src 'self' lets it run) that tries what the policy
// forbids and notes what happened in window.probe. The test driver's own evaluate() is exempt from
// the policy, so the attempts must come from a script the page loads.
const PROBE = `
window.probe = {};
try { eval('1'); probe.eval = 'ran'; } catch (e) { probe.eval = e.name; }
try { new Function('return 1')(); probe.fn = 'ran'; } catch (e) { probe.fn = e.name; }
const inline = document.createElement('script');
inline.textContent = 'window.probe.inline = "ran"';
document.body.append(inline);
const styled = document.createElement('div');
styled.setAttribute('style', 'color: rgb(255, 0, 0)');
document.body.append(styled);
probe.styleAttribute = styled.style.color;
styled.style.color = 'rgb(0, 0, 255)';   // CSSOM writes are not inline style: allowed
probe.cssom = styled.style.color;
probe.dataFetch = fetch('data:,x').then(() => 'ran', e => e.name);
`;

test('inline script, eval, new Function, a style attribute and a data: fetch are refused, each an error',
  { timeout: 2 * LONG }, async () => {
    const { context, page, errors } = await openPage(env.browser, c => c.route('**/csp-probe.js',
      route => route.fulfill({ contentType: 'text/javascript', body: PROBE })));
    await page.goto(env.site.url + '#sizes=784,10,10');
    await waitForState(page, 'ready', LONG);
    checkNoErrors(errors);   // the page itself runs under its policy

    await page.evaluate(() => new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = 'csp-probe.js';
      script.onload = resolve;
      script.onerror = () => reject(new Error('csp-probe.js did not load'));
      document.head.append(script);
    }));
    const probe = await page.evaluate(async () => ({ ...window.probe, dataFetch: await window.probe.dataFetch }));
    assert.deepEqual(probe, { eval: 'EvalError', fn: 'EvalError', styleAttribute: '', cssom: 'rgb(0, 0, 255)',
      dataFetch: 'TypeError' });
    // The events are dispatched as tasks of their own: wait for the five.
    const watched = () => errors.filter(e => /CSP violation/.test(e) && /csp-probe\.js/.test(e));
    for (let i = 0; i < 50 && watched().length < 5; i++) await page.waitForTimeout(100);
    const directives = watched().map(e => e.match(/CSP violation: (\S+)/)[1]).sort();
    assert.deepEqual(directives, ['connect-src', 'script-src', 'script-src', 'script-src-elem', 'style-src-attr'],
      errors.join('\n'));
    assert.match(watched().find(e => e.includes('script-src-elem')), /blocked inline \(.*csp-probe\.js:\d+\)/);
    assert.throws(() => checkNoErrors(errors), /CSP violation/, 'checkNoErrors fails on a violation');
    await context.close();
  });

test('a link\'s data= on another origin is allowed: the page and its worker download from it', { timeout: 2 * LONG },
  async () => {
    const other = await startSite();   // the same files on another port: another origin
    try {
      const origin = new URL(other.url).origin.replace('localhost', '127.0.0.1');
      const data = `${origin}/data/mnist/`;
      const fetched = [];
      const { context, page, errors } = await openPage(env.browser, c => c.route(`${origin}/**`, async route => {
        fetched.push(route.request().url());
        const response = await route.fetch();   // a host that allows CORS, as README asks of data= hosts
        await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
      }));
      await page.goto(`${env.site.url}#sizes=784,10,10&epochs=1&data=${encodeURIComponent(data)}`);
      await waitForState(page, 'ready', LONG);
      // The worker's downloads (and the service worker's copies for offline use, if it took the page).
      assert.equal(new Set(fetched.filter(u => u.endsWith('.gz'))).size, 4, fetched.join('\n'));
      // The policy governs fetches whoever calls them (unlike eval: the first test's data: URL is
      // refused the same way from the driver), so the driver's fetch shows connect-src allows it.
      const status = await page.evaluate(url => fetch(url).then(r => r.status), `${data}t10k-labels-idx1-ubyte.gz`);
      assert.equal(status, 200, 'the page itself may fetch from the data= origin (connect-src)');
      await byTestId(page, 'start').click();
      await waitForState(page, 'done', LONG);
      checkNoErrors(errors);
      // The service worker's copies of the data for offline use go on in the background through
      // the route above (9.7 MB of training images): let them end before the context does, or
      // route.fetch() fails with "Request context disposed" and fails the file.
      await context.unrouteAll({ behavior: 'wait' });
      await context.close();
    } finally {
      other.server.close();
    }
  });
