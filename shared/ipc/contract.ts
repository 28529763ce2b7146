// The single source of truth for the IPC surface between the renderer and the main process.
// Each call has a name, a zod schema for its input and (as a phantom type) its output; each feature
// declares its calls in contracts/<feature>.ts and they are merged here. The main process validates
// every input against the schema before a handler runs; the preload exposes one function per entry;
// the renderer's client derives its types from here. Events flow main → renderer.
import type { z } from 'zod';
import type { JobFinished, JobProgress, MenuAction } from '../types';
import { appContract } from './contracts/app';
import { commandsContract } from './contracts/commands';
import { historyContract } from './contracts/history';
import { investigateContract } from './contracts/investigate';
import { notesContract } from './contracts/notes';
import { readModelsContract } from './contracts/readModels';
import { reportsContract } from './contracts/reports';
import { settingsContract } from './contracts/settings';
import { storeContract } from './contracts/store';

export const contract = {
  ...appContract,
  ...storeContract,
  ...commandsContract,
  ...historyContract,
  ...settingsContract,
  ...investigateContract,
  ...notesContract,
  ...reportsContract,
  ...readModelsContract,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type InputOf<K extends Channel> = z.input<Contract[K]['input']>;
export type ParsedInputOf<K extends Channel> = z.output<Contract[K]['input']>;
export type OutputOf<K extends Channel> = Exclude<Contract[K]['output'], undefined>;

export const CHANNELS = Object.keys(contract) as Channel[];

/** Events pushed from the main process to the renderer (VS Code's `listen` side of a channel). */
export interface EventMap {
  'job.progress': JobProgress;
  'job.finished': JobFinished;
  /** `mapping`: a SQLite file that is no event store Hindsight knows waits for the column-mapping dialog. */
  'store.changed': { reason: 'opened' | 'closed' | 'appended' | 'verified' | 'mapping' };
  'menu.action': MenuAction;
}
export type EventName = keyof EventMap;
export const EVENTS = [
  'job.progress',
  'job.finished',
  'store.changed',
  'menu.action',
] as const satisfies readonly EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
