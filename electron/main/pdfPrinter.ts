// Reports to PDF inside the app: Electron's own Chromium prints the report's HTML in a hidden window
// with JavaScript off (a report has no scripts), so a packaged app needs no separate browser.
import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../core/reports/pdf';

export function electronPdfPrinter(): PdfPrinter {
  return {
    async print(source) {
      const window = new BrowserWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
      });
      try {
        if ('file' in source) await window.loadFile(source.file);
        else await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(source.html)}`);
        const pdf = await window.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
        return new Uint8Array(pdf);
      } finally {
        window.destroy();
      }
    },
  };
}
