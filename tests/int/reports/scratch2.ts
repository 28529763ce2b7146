import { chromium } from 'playwright-core';
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await b.newPage({ viewport: { width: 1200, height: 900 } });
  for (const k of process.argv.slice(2)) {
    await page.goto(`file:///tmp/rep/report-${k}.html`);
    await page.screenshot({ path: `/tmp/rep/shot-${k}.png`, fullPage: true });
    await page.pdf({ path: `/tmp/rep/report-${k}.pdf`, preferCSSPageSize: true, printBackground: true });
  }
  await b.close();
})();
