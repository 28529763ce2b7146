import { formatTime } from '../interchange/jsonl';
import type { ChainNode, CorrelationChain } from './types';

/**
 * A correlation chain as indented text (the CLI's `hindsight chain`): one line per command and event, children
 * indented under their cause, rejected commands marked REJECTED with their code and message, the event asked
 * for marked with ◀.
 */

const INDENT = '  ';

function nodeLine(node: ChainNode, focus: string | null): string {
  if (node.kind === 'command') {
    const who = node.actor ?? 'unknown actor';
    const outcome =
      node.outcome === 'accepted'
        ? 'accepted'
        : `REJECTED ${node.errorCode ?? 'rejected'}: ${node.errorMessage ?? ''}`.trimEnd();
    const reason = node.reason === null ? '' : `  reason: ${JSON.stringify(node.reason)}`;
    return `${node.commandType} by ${who} — ${outcome}  [command ${node.commandId}, ${formatTime(node.receivedAt)}]${reason}`;
  }
  const who = node.actor === null ? '' : `  by ${node.actor}`;
  const change = node.change === '' ? '' : `  ${node.change}`;
  const mark = node.eventId === focus ? '  ◀' : '';
  return `#${node.position} ${node.type}  ${node.streamId} v${node.version}${who}  [event ${node.eventId}, ${formatTime(node.recordedAt)}]${change}${mark}`;
}

function walk(node: ChainNode, depth: number, focus: string | null, out: string[]): void {
  out.push(INDENT.repeat(depth) + nodeLine(node, focus));
  for (const child of node.children) walk(child, depth + 1, focus, out);
}

export function formatChainText(chain: CorrelationChain): string {
  const rejected = chain.rejected > 0 ? ` (${chain.rejected} rejected)` : '';
  const lines = [
    `Correlation ${chain.correlationId}: ${chain.commands} command${chain.commands === 1 ? '' : 's'}${rejected}, ${chain.events} event${chain.events === 1 ? '' : 's'} across ${chain.streams.length} stream${chain.streams.length === 1 ? '' : 's'}${chain.streams.length > 0 ? ` (${chain.streams.join(', ')})` : ''}${chain.truncated ? '; truncated' : ''}.`,
    '',
  ];
  for (const root of chain.roots) walk(root, 0, chain.focusEventId, lines);
  return `${lines.join('\n')}\n`;
}
