import { userInfo } from 'node:os';

/** The OS user name (the default actor and note author). */
export function osUserName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    // userInfo throws when the OS has no entry for the uid (containers): fall back to the environment.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
