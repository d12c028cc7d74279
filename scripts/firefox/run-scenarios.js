'use strict';
// Runs CORS scenarios in a real headless Firefox and prints one JSON line per scenario:
//   {name, ok, status, error, consoleMessages[], log[]}
//   node run-scenarios.js scenarios.json
// scenarios.json: [{name, pageOrigin, url, method, headers: {Name: value} | [[name, value]], credentials: bool}]
// Each scenario's fetch() runs in a page loaded from pageOrigin + "/". Firefox reports a blocked request through
// WebDriver BiDi as a log entry of type "javascript" in the page's browsing context (puppeteer turns those into
// 'pageerror' and loses the level), so this listens to the BiDi log directly. consoleMessages holds the text of the
// entries that mention CORS; log holds every entry with its type and level.
// FIREFOX (default /usr/bin/firefox-esr) is the browser; the run gives up after CORSKIT_FIREFOX_SECONDS (default 240).

const fs = require('node:fs');

const executablePath = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const deadline = Number.parseInt(process.env.CORSKIT_FIREFOX_SECONDS ?? '240', 10);
const blockedMarker = 'Cross-Origin Request Blocked';

function isCorsText(text) {
  return text.startsWith('Cross-Origin Request ') || text.includes('CORS');
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function send(page, scenario) {
  const headers = Array.isArray(scenario.headers) ? scenario.headers : Object.entries(scenario.headers ?? {});
  return page.evaluate(async (url, method, headerPairs, credentials) => {
    try {
      const response = await fetch(url, { method, headers: headerPairs, credentials: credentials ? 'include' : 'same-origin' });
      await response.text();
      return { ok: true, status: response.status, error: null };
    } catch (error) {
      return { ok: false, status: null, error: String(error) };
    }
  }, scenario.url, scenario.method ?? 'GET', headers, scenario.credentials === true);
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node run-scenarios.js scenarios.json');
    process.exit(2);
  }

  const scenarios = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true });
  const watchdog = setTimeout(() => {
    console.error(`run-scenarios: gave up after ${deadline} s`);
    browser.process()?.kill('SIGKILL');
    process.exit(3);
  }, deadline * 1000);

  try {
    console.error(`run-scenarios: ${await browser.version()}`);
    const pages = new Map();
    const logs = new Map();
    const pageFor = async origin => {
      if (pages.has(origin)) {
        return pages.get(origin);
      }

      const page = await browser.newPage();
      const log = [];
      page.mainFrame().browsingContext.on('log', entry => log.push({ type: entry.type, level: entry.level, text: entry.text ?? '' }));
      await page.goto(origin + '/');
      pages.set(origin, page);
      logs.set(origin, log);
      return page;
    };

    for (const scenario of scenarios) {
      const page = await pageFor(scenario.pageOrigin);
      const log = logs.get(scenario.pageOrigin);
      const mark = log.length;
      const result = await send(page, scenario);
      // A blocked request's message can arrive after the promise settles: wait for it, then a little longer for a second line.
      for (let waited = 0; !result.ok && waited < 5000 && !log.slice(mark).some(e => e.text.includes(blockedMarker)); waited += 50) {
        await sleep(50);
      }

      await sleep(400);
      const entries = log.slice(mark);
      const line = {
        name: scenario.name,
        ok: result.ok,
        status: result.status,
        error: result.error,
        consoleMessages: entries.filter(e => isCorsText(e.text)).map(e => e.text),
        log: entries,
      };
      process.stdout.write(JSON.stringify(line) + '\n');
    }
  } finally {
    clearTimeout(watchdog);
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
