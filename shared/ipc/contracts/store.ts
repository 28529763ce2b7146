// Opening, creating and closing stores; integrity; jobs; browsing streams and the log.
import { z } from 'zod';
import type {
  ColumnMapping,
  EventRow,
  ImportSummary,
  IntegrityState,
  MappingCandidates,
  OpenMode,
  Page,
  RecentFile,
  StoreDetails,
  StoreSummary,
  StreamRow,
} from '../../types';
import { call, none, pageLimit } from './define';

const openMode = z.enum(['read-write', 'read-only']) satisfies z.ZodType<OpenMode>;

const columnName = z.string().min(1).max(256);
const columnMapping = z
  .object({
    table: columnName,
    stream: columnName,
    type: columnName,
    data: columnName,
    position: columnName.optional(),
    version: columnName.optional(),
    metadata: columnName.optional(),
    time: columnName.optional(),
    eventId: columnName.optional(),
  })
  .strict() satisfies z.ZodType<ColumnMapping>;

export const storeContract = {
  'store.current': call<StoreSummary | null>()(none, 'The store open in this window, or null.'),
  'store.openDialog': call<StoreSummary | null>()(
    z.object({ mode: openMode.optional() }).strict(),
    'Ask the user for a store file and open it (null when the dialog is cancelled).',
  ),
  'store.createDialog': call<StoreSummary | null>()(none, 'Ask the user where to create a new store and open it.'),
  'store.openRecent': call<StoreSummary>()(
    z.object({ id: z.string().min(1).max(64), mode: openMode.optional() }).strict(),
    'Reopen a file from the recent list.',
  ),
  'store.mappingCandidates': call<MappingCandidates>()(
    none,
    'The tables and columns of the SQLite file waiting for a column mapping, with a suggested mapping.',
  ),
  'store.includeWal': call<StoreSummary>()(
    none,
    'Reopen the shared file read-only with the -wal beside it applied to the private copy (the file is never changed).',
  ),
  'store.pendingMapping': call<{ fileName: string } | null>()(
    none,
    'The file waiting for the column-mapping dialog, if any (a window that opens late asks on start).',
  ),
  'store.dismissMapping': call<null>()(none, 'The user closed the mapping dialog: no file waits for it any more.'),
  'store.openMapped': call<StoreSummary>()(
    z.object({ mapping: columnMapping, remember: z.boolean().default(true) }).strict(),
    'Open the file waiting for a mapping, reading the chosen table as events (read-only).',
  ),
  'store.recent': call<RecentFile[]>()(none, 'Recently opened files, newest first; missing files are marked.'),
  'store.forgetRecent': call<RecentFile[]>()(
    z.object({ id: z.string().min(1).max(64) }).strict(),
    'Remove a file from the recent list.',
  ),
  'store.close': call<null>()(none, 'Close the store open in this window.'),
  'store.details': call<StoreDetails>()(none, 'Counts, time range and categories of the open store.'),

  'store.importDialog': call<ImportSummary | null>()(
    none,
    'Ask for a JSONL file and append all its events to the open read-write store, as a job: all or nothing.',
  ),
  'store.saveVerifiedCopy': call<{ path: string; digest: string } | null>()(
    none,
    'Ask where, then write a clean single-file copy of the store and verify it holds the same digest.',
  ),

  'integrity.status': call<IntegrityState>()(none, 'The latest verification state of the open store.'),
  'integrity.verify': call<{ jobId: string }>()(
    z
      .object({
        digest: z
          .string()
          .regex(/^\d+:[0-9a-f]{64}$/, 'expected POS:HASH')
          .optional(),
      })
      .strict(),
    'Start verifying the hash chain as a background job.',
  ),

  'jobs.cancel': call<{ cancelled: boolean }>()(
    z.object({ jobId: z.string().min(1).max(64) }).strict(),
    'Cancel a running job.',
  ),

  'jobs.selftest': call<{ jobId: string }>()(
    z
      .object({
        steps: z.number().int().min(1).max(10_000).default(100),
        stepMs: z.number().int().min(0).max(1000).default(20),
      })
      .strict(),
    'Diagnostics: run a job that only counts, to check progress and cancel work on this machine.',
  ),

  'streams.list': call<Page<StreamRow>>()(
    z
      .object({
        prefix: z.string().max(256).optional(),
        category: z.string().max(256).optional(),
        after: z.string().max(256).optional(),
        limit: pageLimit,
      })
      .strict(),
    'Streams by id prefix or category, keyset-paged by stream id.',
  ),
  'log.page': call<Page<EventRow>>()(
    z
      .object({
        afterPosition: z.number().int().min(0).optional(),
        limit: pageLimit,
      })
      .strict(),
    'The whole log from a position, keyset-paged.',
  ),
} as const;
