import type { ReportRenderer } from './parts';
import { createCsvRenderer } from './renderCsv';
import { createHtmlRenderer } from './renderHtml';
import { createJsonRenderer } from './renderJson';
import type { ReportFormat } from './schema';

/** The streaming renderer of a format (PDF is rendered as HTML, then printed). */
export function createRenderer(format: ReportFormat): ReportRenderer {
  switch (format) {
    case 'html':
    case 'pdf':
      return createHtmlRenderer();
    case 'csv':
      return createCsvRenderer();
    case 'json':
      return createJsonRenderer();
    default: {
      const never: never = format;
      throw new Error(`Unknown report format ${String(never)}`);
    }
  }
}
