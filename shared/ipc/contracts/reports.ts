// Audit reports: preview in the app, save as HTML/PDF/CSV/JSON, the recent list.
import { z } from 'zod';
import type { ReportRecord } from '../../types';
import { call, none } from './define';

const time = z.number().int().min(0).max(8.64e15);

export const reportRequestSchema = z
  .object({
    kind: z.enum(['entity', 'actor', 'window', 'correlation', 'summary']),
    streams: z.array(z.string().min(1).max(256)).min(1).max(1000).optional(),
    actor: z.string().min(1).max(256).optional(),
    correlationId: z.string().min(1).max(256).optional(),
    from: time.optional(),
    to: time.optional(),
    includeState: z.boolean().optional(),
    includeDiffs: z.boolean().optional(),
    includeNotes: z.boolean().optional(),
    title: z.string().max(200).optional(),
  })
  .strict();

export const reportsContract = {
  'reports.preview': call<{ html: string; rows: number; title: string }>()(
    z.object({ request: reportRequestSchema }).strict(),
    'Generate the report as HTML (in a worker) and return it for the in-app preview.',
  ),
  'reports.save': call<ReportRecord | null>()(
    z.object({ request: reportRequestSchema, format: z.enum(['html', 'pdf', 'csv', 'json']) }).strict(),
    'Ask where, then write the report in that format (null when the dialog is cancelled).',
  ),
  'reports.recent': call<ReportRecord[]>()(none, 'Reports saved from this installation, newest first.'),
} as const;
