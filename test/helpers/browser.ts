import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** The system Chromium; tests never download a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function openPage(browser: Browser, url: string, width = 1200): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.setDefaultTimeout(10_000);
  const res = await page.goto(url);
  if (!res?.ok()) throw new Error(`${url}: HTTP ${res?.status()}`);
  return page;
}

/** Waits for a client-side navigation to re-render `loc`; fails with the text it last saw. */
export async function waitForText(loc: Locator, want: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | undefined;
  while (Date.now() < deadline) {
    seen = (await loc.textContent({ timeout: 1000 }).catch(() => null))?.trim();
    if (seen === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected text "${want}", last saw "${seen}"`);
}
