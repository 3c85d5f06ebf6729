import {
  ID_PATTERN,
  InvalidInputError,
  MAX_ID_LENGTH,
  NotFoundError,
  type SessionInfo,
} from '@beaker-integrations/model';

import type { Context } from './context.js';

export interface SessionManagerOptions {
  contexts: ReadonlyMap<string, Context>;
  /** Context that sessions get when none is named. */
  defaultContext: string;
  /** When false, unknown session ids are NotFoundError instead of new sessions. */
  autoCreate?: boolean;
  /** Maximum live sessions; the least recently used one is dropped beyond it. */
  maxSessions?: number;
  /** Milliseconds of inactivity after which a session expires. */
  idleTimeoutMs?: number;
  now?: () => number;
}

export interface Session {
  readonly id: string;
  readonly context: Context;
  readonly createdAt: number;
  lastUsedAt: number;
}

export const DEFAULT_MAX_SESSIONS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 24 * 60 * 60 * 1000;

const SESSION_ID = new RegExp(ID_PATTERN);
const TOUCH_INTERVAL_MS = 1000;

/**
 * Binds session ids to contexts. Sessions hold no state of their own, so
 * sessions on one context share its providers and every write is visible to
 * all of them at once. The map is bounded and idle sessions expire, so a
 * client inventing ids cannot exhaust memory.
 */
export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly contexts: ReadonlyMap<string, Context>;
  private readonly defaultContext: string;
  private readonly autoCreate: boolean;
  private readonly maxSessions: number;
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: SessionManagerOptions) {
    this.contexts = options.contexts;
    this.defaultContext = options.defaultContext;
    this.autoCreate = options.autoCreate ?? true;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.now = options.now ?? Date.now;

    this.context(this.defaultContext);
  }

  /** Returns the session, creating it on the default context when allowed. */
  get(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    const now = this.now();

    // Ids in the map were validated when their session was opened,
    // so only a new id is validated below.
    if (session !== undefined && !this.expiredAt(session, now)) return this.touch(session, now);
    if (session !== undefined) this.sessions.delete(sessionId);

    validateSessionId(sessionId);

    if (!this.autoCreate) {
      throw new NotFoundError(
        'session',
        sessionId,
        `session '${sessionId}' was not found; create it first with PUT /beaker/sessions/${sessionId}`,
      );
    }

    return this.open(sessionId, this.defaultContext);
  }

  /** Creates a session on a named context, or rebinds an existing one to it. */
  create(sessionId: string, contextName = this.defaultContext): Session {
    validateSessionId(sessionId);
    this.context(contextName);
    this.sessions.delete(sessionId);

    return this.open(sessionId, contextName);
  }

  list(): SessionInfo[] {
    this.sweep();

    return [...this.sessions.values()].map((session) => ({
      session_id: session.id,
      context: session.context.name,
      created_at: new Date(session.createdAt).toISOString(),
      last_used_at: new Date(session.lastUsedAt).toISOString(),
    }));
  }

  get size(): number {
    return this.sessions.size;
  }

  contextNames(): string[] {
    return [...this.contexts.keys()];
  }

  context(name: string): Context {
    const context = this.contexts.get(name);

    if (context === undefined) throw new NotFoundError('context', name);

    return context;
  }

  private open(sessionId: string, contextName: string): Session {
    this.sweep();

    const now = this.now();
    const session: Session = {
      id: sessionId,
      context: this.context(contextName),
      createdAt: now,
      lastUsedAt: now,
    };

    this.sessions.set(sessionId, session);
    this.evictOverflow();

    return session;
  }

  /**
   * Moves the session to the end of the map, which is kept in
   * least-recently-used order. Within a second of the last move it does
   * nothing, because the move costs a map delete and insert on every
   * request and expiry is measured in minutes or hours.
   */
  private touch(session: Session, now: number): Session {
    if (now - session.lastUsedAt < TOUCH_INTERVAL_MS) return session;

    session.lastUsedAt = now;
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);

    return session;
  }

  private expired(session: Session): boolean {
    return this.expiredAt(session, this.now());
  }

  private expiredAt(session: Session, now: number): boolean {
    return now - session.lastUsedAt > this.idleTimeoutMs;
  }

  /** Drops expired sessions from the least recently used end. */
  private sweep(): void {
    for (const session of this.sessions.values()) {
      if (!this.expired(session)) return;
      this.sessions.delete(session.id);
    }
  }

  private evictOverflow(): void {
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= this.maxSessions) return;
      this.sessions.delete(id);
    }
  }
}

export function validateSessionId(sessionId: string): void {
  if (!SESSION_ID.test(sessionId) || sessionId.length > MAX_ID_LENGTH) {
    throw new InvalidInputError(
      'session_id',
      `session id '${sessionId.slice(0, MAX_ID_LENGTH)}' is invalid; use 1 to ${MAX_ID_LENGTH} letters, digits, '_' or '-'`,
    );
  }
}
