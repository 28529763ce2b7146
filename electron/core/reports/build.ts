import { commandLog, getCommand } from '../commands/commandLog';
import { HindsightError } from '../errors';
import { stateAt } from '../history/stateAt';
import { activityPerMinute } from '../investigate/activity';
import { correlationChain } from '../investigate/chain';
import type { ActivityResult, ChainNode, CorrelationChain } from '../investigate/types';
import type { EventStore } from '../store/eventStore';
import { categoryOf } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import type { CancelSignal, StoredEvent } from '../store/types';
import { collectIntegrity, type ForeignEvidence, foreignSourceOf } from './integrity';
import { type NormalisedParams, normaliseParams, type ReportParams } from './params';
import { collectModel, type ReportPart } from './parts';
import {
  commandTotals,
  eventFacts,
  type Grouped,
  type GroupKey,
  groupCounts,
  positionRange,
  rejectionCounts,
  type Scope,
  type StreamInScope,
  scopeTotals,
  streamsInScope,
} from './queries';
import {
  type ChainRow,
  type CommandRow,
  type EntityRow,
  type EventRow,
  type Integrity,
  type Overview,
  REPORT_DOCUMENT,
  REPORT_SCHEMA_VERSION,
  type ReportHead,
  type ReportModel,
  type SectionHead,
  type SectionType,
} from './schema';
import { StateFolder } from './stateFolder';
import { formatInt, isoTime, plural } from './text';

/**
 * Builds a report from a store as a stream of parts (parts.ts): first everything that is known up front (the
 * parameters, the integrity evidence, counts of what the report covers), then each section's rows, read page by
 * page by keyset (position or version, never OFFSET), so memory stays flat whatever the size of the report.
 * Every list has an explicit order (positions, versions, sorted ids, counts then keys); times are UTC.
 *
 * What each kind contains (docs/report-format.md, "Kinds"):
 * - entity: the streams (one row each, with the state after their last event in scope when asked), then each
 *   stream's events in version order;
 * - actor: the actor's event types, commands (accepted and rejected) and events, in the range;
 * - window: an activity chart of the window, the entities affected (with their state at the end of the window
 *   when asked) and every event of the window;
 * - correlation: the correlation/causation chain (rejected commands included), its commands and its events;
 * - summary: store facts, an activity chart and counts by category, event type, actor, stream, rejection.
 */

export interface BuildOptions {
  /** The clock for the generation time (the only value that differs between two runs). Default Date.now. */
  now?: () => number;
  /** Who generated it, e.g. `{ name: 'Hindsight', version: app.getVersion() }`. */
  generator?: { name: string; version: string };
  /** The file to fingerprint and name in the evidence (default: `store.path`). */
  filePath?: string;
  /** A `-wal` beside the file was not read (default: `store.companionWal`). */
  walNotRead?: boolean;
  /**
   * The store is a derived store of a foreign file: the evidence is the file's SHA-256, nothing is verified
   * (integrity.ts). `null`: one of our own stores, verified. Not given: what the store records.
   */
  foreign?: ForeignEvidence | null;
  signal?: CancelSignal;
  /**
   * Refuse (`payload_too_large`) a report that would have more rows than this, before the store is verified or
   * anything is written (PDF: see MAX_PDF_ROWS).
   */
  maxRows?: { rows: number; why: string };
  /**
   * Build only sections of these types (the others are left out, not computed). The CSV format, which writes
   * only events and commands, asks for just those.
   */
  sections?: readonly SectionType[];
  /** Progress over verification and rows: done, total (both in "events"). */
  onProgress?: (done: number, total: number) => void;
}

export interface ReportPlan {
  head: ReportHead;
  /** About how many units of work the report is (verification + rows), for progress. */
  total: number;
  /** The report as parts; iterate once. */
  parts(): Generator<ReportPart>;
}

const PAGE = 1000;
/**
 * Streams per page of the window's entity list. Each page is one GROUP BY over the window, so the page grows with
 * the number of streams (known from the overview) to keep the number of passes small: at most ~4 passes up to
 * 40,000 streams, and never more than 10,000 rows held at once.
 */
function entityPage(streams: number): number {
  return Math.min(10_000, Math.max(500, Math.ceil(streams / 4)));
}
const TOP_STREAMS = 20;
const TOP_KEYS = 50;
const CHART_POINTS = 96;
const CHART_SERIES = 8;

export function cancelledError(): HindsightError {
  return new HindsightError('cancelled', 'The report was cancelled.');
}

function metaString(metadata: Record<string, unknown>, key: string): string | null {
  const value = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
  return typeof value === 'string' ? value : null;
}

/** `2024-05-01 12:00 UTC`, with seconds or milliseconds only when the time has them. */
function rangeTime(ms: number): string {
  const iso = isoTime(ms);
  const trimmed = iso.endsWith(':00.000Z')
    ? iso.slice(0, -8)
    : iso.endsWith('.000Z')
      ? iso.slice(0, -5)
      : iso.slice(0, -1);
  return `${trimmed.replace('T', ' ')} UTC`;
}

function defaultTitle(n: NormalisedParams, integrity: Integrity): string {
  const p = n.parameters;
  switch (p.kind) {
    case 'entity':
      return p.streams!.length === 1
        ? `History of ${p.streams![0]}`
        : `History of ${plural(p.streams!.length, 'entity', 'entities')}`;
    case 'actor':
      return `Activity of ${p.actor}`;
    case 'window':
      return `Events from ${rangeTime(n.fromMs!)} to ${rangeTime(n.toMs!)}`;
    case 'correlation':
      return `Correlation ${p.correlationId}`;
    case 'summary':
      return `Summary of ${integrity.fileName}`;
    default: {
      const never: never = p.kind;
      return never;
    }
  }
}

export function eventRow(
  event: StoredEvent,
  folded: { stateAfter: unknown; changes: unknown[] } | { error: string } | undefined,
  want: { state: boolean; diffs: boolean },
): EventRow {
  const m = event.metadata;
  const row: EventRow = {
    position: event.globalPosition,
    eventId: event.eventId,
    streamId: event.streamId,
    version: event.streamVersion,
    type: event.eventType,
    schemaVersion: event.schemaVersion,
    recordedAt: isoTime(event.recordedAt),
    occurredAt: isoTime(event.occurredAt),
    actor: metaString(m, 'actor'),
    reason: metaString(m, 'reason'),
    commandId: metaString(m, 'command_id'),
    correlationId: metaString(m, 'correlation_id'),
    causationId: metaString(m, 'causation_id'),
    data: event.data,
    metadata: m,
    hash: event.hash,
  };
  if (folded !== undefined) {
    if ('error' in folded) {
      if (want.state) row.stateAfter = null;
      if (want.diffs) row.changes = [];
      row.stateError = folded.error;
    } else {
      if (want.state) row.stateAfter = folded.stateAfter;
      if (want.diffs) row.changes = folded.changes as EventRow['changes'];
    }
  }
  return row;
}

function commandRow(c: {
  seq: number;
  commandId: string;
  commandType: string;
  streamId: string | null;
  actor: string | null;
  reason: string | null;
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  errorCode: string | null;
  errorMessage: string | null;
  firstPosition: number | null;
  lastPosition: number | null;
  payload: unknown;
}): CommandRow {
  return {
    seq: c.seq,
    commandId: c.commandId,
    commandType: c.commandType,
    streamId: c.streamId,
    actor: c.actor,
    reason: c.reason,
    receivedAt: isoTime(c.receivedAt),
    outcome: c.outcome,
    errorCode: c.errorCode,
    errorMessage: c.errorMessage,
    firstPosition: c.firstPosition,
    lastPosition: c.lastPosition,
    payload: c.payload,
  };
}

function flattenChain(nodes: readonly ChainNode[], depth: number, out: ChainRow[]): void {
  for (const node of nodes) {
    if (node.kind === 'command') {
      out.push({
        depth,
        node: 'command',
        id: node.commandId,
        position: node.position,
        streamId: node.streamId,
        version: null,
        type: node.commandType,
        actor: node.actor,
        time: isoTime(node.receivedAt),
        outcome: node.outcome,
        errorCode: node.errorCode,
        errorMessage: node.errorMessage,
        reason: node.reason,
        policy: node.policy,
        change: null,
      });
    } else {
      out.push({
        depth,
        node: 'event',
        id: node.eventId,
        position: node.position,
        streamId: node.streamId,
        version: node.version,
        type: node.type,
        actor: node.actor,
        time: isoTime(node.recordedAt),
        outcome: null,
        errorCode: null,
        errorMessage: null,
        reason: null,
        policy: null,
        change: node.change === '' ? null : node.change,
      });
    }
    flattenChain(node.children, depth + 1, out);
  }
}

function* countsSection(id: string, title: string, keyLabel: string, grouped: Grouped): Generator<ReportPart> {
  yield {
    part: 'section',
    section: { id, type: 'counts', title, keyLabel, distinct: grouped.distinct, others: grouped.others },
  };
  for (const row of grouped.rows) yield { part: 'row', row };
  yield { part: 'end-section', count: grouped.rows.length };
}

function* activitySection(id: string, title: string, activity: ActivityResult): Generator<ReportPart> {
  yield {
    part: 'section',
    section: {
      id,
      type: 'activity',
      title,
      groupBy: activity.groupBy,
      bucketMs: activity.bucketMs,
      from: activity.from === null ? null : isoTime(activity.from),
      to: activity.to === null ? null : isoTime(activity.to),
      series: activity.series.map((s) => s.key),
    },
  };
  for (let i = 0; i < activity.buckets.length; i++) {
    yield {
      part: 'row',
      row: {
        start: isoTime(activity.buckets[i]!),
        total: activity.totals[i]!,
        counts: activity.series.map((s) => s.counts[i]!),
      },
    };
  }
  yield { part: 'end-section', count: activity.buckets.length };
}

/**
 * Plans a report: checks the parameters, counts what it will cover, verifies the store and fingerprints the
 * file (the slow part before the first row), and returns the head and a generator of the rest.
 */
export function planReport(store: EventStore, params: ReportParams, opts: BuildOptions = {}): ReportPlan {
  const n = normaliseParams(params);
  try {
    return plan(store, n, opts);
  } catch (error) {
    throw translateError(error, store.path);
  }
}

function plan(store: EventStore, n: NormalisedParams, opts: BuildOptions): ReportPlan {
  const p = n.parameters;
  const signal = opts.signal;
  const checkCancelled = (): void => {
    if (signal?.aborted) throw cancelledError();
  };
  const [lo, hi] = positionRange(store, n.fromMs, n.toMs);
  const range: Scope = { lo, hi, fromMs: n.fromMs, toMs: n.toMs };

  // What the report covers (before anything is written, so the head can print it).
  let scope: Scope = range;
  let chain: CorrelationChain | undefined;
  let commands: { commands: number; rejected: number } | null = null;
  switch (p.kind) {
    case 'entity':
      for (const streamId of p.streams!) {
        if (store.getStream(streamId) === undefined) {
          throw new HindsightError('not_found', `The store has no stream ${JSON.stringify(streamId)}.`, { streamId });
        }
      }
      scope = { ...range, streams: p.streams! };
      break;
    case 'actor':
      scope = { ...range, actor: p.actor! };
      commands = commandTotals(store, { actor: p.actor!, fromMs: n.fromMs, toMs: n.toMs });
      break;
    case 'window':
    case 'summary':
      commands = commandTotals(store, { fromMs: n.fromMs, toMs: n.toMs });
      break;
    case 'correlation':
      chain = correlationChain(store, { correlationId: p.correlationId! }, { maxEvents: 100_000 });
      scope = { ...range, correlationId: p.correlationId! };
      commands = { commands: chain.commands, rejected: chain.rejected };
      break;
  }
  const totals = scopeTotals(store, scope);
  const overview: Overview = {
    events: totals.events,
    streams: totals.streams,
    actors: totals.actors,
    commands: commands === null ? null : commands.commands,
    rejectedCommands: commands === null ? null : commands.rejected,
    firstRecordedAt: totals.first === null ? null : isoTime(totals.first),
    lastRecordedAt: totals.last === null ? null : isoTime(totals.last),
  };
  checkCancelled();

  const foreign = foreignSourceOf(store, opts);
  // Progress counts verified events first: none for a foreign store, which has no chain to verify.
  const verifyUnits = foreign === null ? store.head().position : 0;
  // Rows the report lists: events, and for actor and correlation reports the commands too.
  const listsCommands = p.kind === 'actor' || p.kind === 'correlation';
  const rowsExpected = p.kind === 'summary' ? 0 : totals.events + (listsCommands ? (commands?.commands ?? 0) : 0);
  if (opts.maxRows !== undefined && rowsExpected > opts.maxRows.rows) {
    throw new HindsightError(
      'payload_too_large',
      `This report would list ${formatInt(rowsExpected)} events and commands; ${opts.maxRows.why}`,
      { rows: rowsExpected, limit: opts.maxRows.rows },
    );
  }
  const total = verifyUnits + rowsExpected;
  const integrity = collectIntegrity(store, {
    filePath: opts.filePath,
    walNotRead: opts.walNotRead,
    foreign,
    signal,
    onProgress: opts.onProgress === undefined ? undefined : (done) => opts.onProgress!(done, total),
  });
  checkCancelled();

  const head: ReportHead = {
    document: REPORT_DOCUMENT,
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: p.kind,
    title: p.title ?? defaultTitle(n, integrity),
    generator: opts.generator ?? { name: 'Hindsight', version: 'unknown' },
    generatedAt: isoTime((opts.now ?? Date.now)()),
    parameters: p,
    integrity,
    overview,
    notes: n.notes,
  };

  let done = 0;
  const progress = (rows: number): void => {
    done += rows;
    opts.onProgress?.(verifyUnits + Math.min(done, rowsExpected), total);
  };
  // Window reports show states per entity (at the end of the window), not per event.
  const want = { state: p.includeState && p.kind !== 'window', diffs: p.includeDiffs };
  const foldEach = want.diffs || want.state;

  /** Every event in scope of `filter`, by position, a page at a time. */
  function* eventsSection(
    section: SectionHead,
    filter: { actor?: string; correlationId?: string },
  ): Generator<ReportPart> {
    yield { part: 'section', section };
    const folder = foldEach ? new StateFolder(store) : undefined;
    let after = lo;
    let count = 0;
    for (;;) {
      checkCancelled();
      const page = store.readAll({
        afterPosition: after,
        limit: PAGE,
        actor: filter.actor,
        correlationId: filter.correlationId,
        recordedFrom: n.fromMs,
        recordedTo: n.toMs,
      });
      for (const event of page) {
        if (event.globalPosition > hi) break;
        yield { part: 'row', row: eventRow(event, folder?.fold(event), want) };
        count++;
      }
      progress(page.length);
      if (page.length < PAGE || page[page.length - 1]!.globalPosition >= hi) break;
      after = page[page.length - 1]!.globalPosition;
    }
    yield { part: 'end-section', count };
  }

  function entityRow(
    streamId: string,
    inScope: { events: number; firstPosition: number; lastPosition: number } | undefined,
  ): EntityRow {
    const last = inScope === undefined ? undefined : eventFacts(store, inScope.lastPosition);
    const row: EntityRow = {
      streamId,
      category: categoryOf(streamId),
      eventsInScope: inScope?.events ?? 0,
      firstPosition: inScope?.firstPosition ?? null,
      lastPosition: inScope?.lastPosition ?? null,
      version: last?.version ?? null,
      lastType: last?.type ?? null,
      lastRecordedAt: last === undefined ? null : isoTime(last.recordedAt),
    };
    if (p.includeState && last !== undefined) {
      try {
        row.state = stateAt(store, streamId, { version: last.version }).state;
      } catch (error) {
        row.state = null;
        row.stateError = `The state of ${streamId} could not be reconstructed: ${
          error instanceof Error ? error.message : String(error)
        }`;
      }
    }
    return row;
  }

  /** entity: the streams in scope (by id), computed once for both of its sections. */
  let entityScope: Map<string, StreamInScope> | undefined;
  const inEntityScope = (): Map<string, StreamInScope> => {
    entityScope ??= new Map(streamsInScope(store, scope, null, p.streams!.length).map((s) => [s.streamId, s]));
    return entityScope;
  };

  function* entityList(): Generator<ReportPart> {
    const streams = p.streams!;
    yield { part: 'section', section: { id: 'entities', type: 'entities', title: 'Entities', asOf: null } };
    for (const streamId of streams) yield { part: 'row', row: entityRow(streamId, inEntityScope().get(streamId)) };
    yield { part: 'end-section', count: streams.length };
  }

  function* entityEvents(): Generator<ReportPart> {
    for (const [i, streamId] of p.streams!.entries()) {
      yield {
        part: 'section',
        section: { id: `stream-${i + 1}`, type: 'events', title: `Events of ${streamId}`, streamId },
      };
      const s = inEntityScope().get(streamId);
      let count = 0;
      if (s !== undefined) {
        const folder = foldEach ? new StateFolder(store, 1) : undefined;
        const first = eventFacts(store, s.firstPosition)!.version;
        const last = eventFacts(store, s.lastPosition)!.version;
        let from = first;
        while (from <= last) {
          checkCancelled();
          const page = store.readStream(streamId, { fromVersion: from, toVersion: last, limit: PAGE });
          for (const event of page) {
            yield { part: 'row', row: eventRow(event, folder?.fold(event), want) };
            count++;
          }
          progress(page.length);
          if (page.length === 0) break;
          from = page[page.length - 1]!.streamVersion + 1;
        }
      }
      yield { part: 'end-section', count };
    }
  }

  function* commandsSection(title: string, rows: () => Generator<CommandRow>): Generator<ReportPart> {
    yield { part: 'section', section: { id: 'commands', type: 'commands', title } };
    let count = 0;
    for (const row of rows()) {
      yield { part: 'row', row };
      count++;
    }
    yield { part: 'end-section', count };
  }

  function* actorCommands(): Generator<CommandRow> {
    let after: number | undefined;
    for (;;) {
      checkCancelled();
      const page = commandLog(store, { actor: p.actor!, order: 'asc', limit: PAGE, after });
      for (const c of page.rows) {
        if ((n.fromMs !== undefined && c.receivedAt < n.fromMs) || (n.toMs !== undefined && c.receivedAt > n.toMs)) {
          continue;
        }
        yield commandRow(c);
      }
      progress(page.rows.length);
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
  }

  function* chainCommands(): Generator<CommandRow> {
    const ids: string[] = [];
    const visit = (nodes: readonly ChainNode[]): void => {
      for (const node of nodes) {
        if (node.kind === 'command') ids.push(node.commandId);
        visit(node.children);
      }
    };
    visit(chain!.roots);
    const rows = ids.map((id) => getCommand(store, id)).filter((c) => c !== undefined);
    rows.sort((a, b) => a.seq - b.seq);
    for (const c of rows) yield commandRow(c);
    progress(rows.length);
  }

  function* windowEntities(): Generator<ReportPart> {
    yield {
      part: 'section',
      section: { id: 'entities', type: 'entities', title: 'Entities affected', asOf: p.to },
    };
    const pageSize = entityPage(totals.streams);
    let after: string | null = null;
    let count = 0;
    for (;;) {
      checkCancelled();
      const page = streamsInScope(store, scope, after, pageSize);
      for (const s of page) {
        yield { part: 'row', row: entityRow(s.streamId, s) };
        count++;
      }
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.streamId;
    }
    yield { part: 'end-section', count };
  }

  function* chainSection(): Generator<ReportPart> {
    const rows: ChainRow[] = [];
    flattenChain(chain!.roots, 0, rows);
    yield {
      part: 'section',
      section: {
        id: 'chain',
        type: 'chain',
        title: 'Chain',
        correlationId: chain!.correlationId,
        truncated: chain!.truncated,
      },
    };
    for (const row of rows) yield { part: 'row', row };
    yield { part: 'end-section', count: rows.length };
  }

  function* storeFacts(): Generator<ReportPart> {
    const info = store.info();
    const source = integrity.foreign;
    // A foreign store: what the file is, not the derived store Hindsight made of it (its format and creation).
    const origin: [string, string][] =
      source === undefined
        ? [
            ['Format', `${info.format} v${info.formatVersion}`],
            ['Created', `${rangeTime(info.createdAt)} by ${info.createdBy}`],
          ]
        : [
            ['Read as', source.label],
            ['Integrity', 'no hash chain: no tamper evidence'],
            ['Rows read', formatInt(source.rows)],
            ['Rows adjusted', formatInt(source.adjusted)],
            ['Event times from', source.timeSource === 'column' ? 'a column' : "the file's modification time"],
          ];
    const facts: [string, string][] = [
      ...origin,
      ['Events in the store', formatInt(info.events)],
      ['Streams in the store', formatInt(info.streams)],
      ['Categories', formatInt(info.categories.length)],
      ['First event recorded', info.firstRecordedAt === null ? '—' : rangeTime(info.firstRecordedAt)],
      ['Last event recorded', info.lastRecordedAt === null ? '—' : rangeTime(info.lastRecordedAt)],
    ];
    yield { part: 'section', section: { id: 'store', type: 'facts', title: 'Store' } };
    for (const [label, value] of facts) yield { part: 'row', row: { label, value } };
    yield { part: 'end-section', count: facts.length };
  }

  const activity = (title: string) => () =>
    activitySection(
      'activity',
      title,
      activityPerMinute(store, {
        from: n.fromMs,
        to: n.toMs,
        groupBy: 'category',
        maxPoints: CHART_POINTS,
        maxSeries: CHART_SERIES,
      }),
    );
  const counts = (id: string, title: string, keyLabel: string, by: GroupKey, limit: number) => () =>
    countsSection(id, title, keyLabel, groupCounts(store, scope, by, limit));
  const allEvents = (filter: { actor?: string; correlationId?: string }) => () =>
    eventsSection({ id: 'events', type: 'events', title: 'Events', streamId: null }, filter);

  /** Each kind's sections, in order; each is built only when asked for (and only when its turn comes). */
  function plannedSections(): [SectionType, () => Generator<ReportPart>][] {
    switch (p.kind) {
      case 'entity':
        return [
          ['entities', entityList],
          ['events', entityEvents],
        ];
      case 'actor':
        return [
          ['counts', counts('types', 'Event types', 'Event type', 'type', TOP_KEYS)],
          ['commands', () => commandsSection('Commands (accepted and rejected)', actorCommands)],
          ['events', allEvents({ actor: p.actor! })],
        ];
      case 'window':
        return [
          ['activity', activity('Activity in the window')],
          ['entities', windowEntities],
          ['events', allEvents({})],
        ];
      case 'correlation':
        return [
          ['chain', chainSection],
          ['commands', () => commandsSection('Commands', chainCommands)],
          ['events', allEvents({ correlationId: p.correlationId! })],
        ];
      case 'summary':
        return [
          ['facts', storeFacts],
          ['activity', activity('Activity')],
          ['counts', counts('categories', 'Categories', 'Category', 'category', TOP_KEYS)],
          ['counts', counts('types', 'Event types', 'Event type', 'type', TOP_KEYS)],
          ['counts', counts('actors', 'Actors', 'Actor', 'actor', TOP_KEYS)],
          ['counts', counts('streams', 'Most active streams', 'Stream', 'stream', TOP_STREAMS)],
          [
            'counts',
            () =>
              countsSection(
                'rejections',
                'Rejected commands by reason',
                'Error code',
                rejectionCounts(store, { fromMs: n.fromMs, toMs: n.toMs }, TOP_KEYS),
              ),
          ],
        ];
      default: {
        const never: never = p.kind;
        return never;
      }
    }
  }

  function* sections(): Generator<ReportPart> {
    for (const [type, make] of plannedSections()) {
      if (opts.sections !== undefined && !opts.sections.includes(type)) continue;
      checkCancelled();
      yield* make();
    }
  }

  let used = false;
  return {
    head,
    total,
    *parts() {
      if (used) throw new Error('A report plan can be iterated once.');
      used = true;
      yield { part: 'head', head };
      try {
        yield* sections();
      } catch (error) {
        throw translateError(error, store.path);
      }
      yield { part: 'end' };
    },
  };
}

/** The whole report model in memory (small reports, the app's live preview, tests). */
export function buildReportModel(store: EventStore, params: ReportParams, opts: BuildOptions = {}): ReportModel {
  return collectModel(planReport(store, params, opts).parts());
}
