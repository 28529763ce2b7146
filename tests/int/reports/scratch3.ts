import { chromium } from 'playwright-core';
(async () => {
  const [k, y, h] = process.argv.slice(2);
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await b.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`file:///tmp/rep/report-${k}.html`);
  await page.screenshot({ path: `/tmp/rep/clip.png`, clip: { x: 0, y: Number(y), width: 1200, height: Number(h ?? 800) }, fullPage: true });
  await b.close();
})();
