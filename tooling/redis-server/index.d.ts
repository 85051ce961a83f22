/** A redis-server process started by `startRedisServer`. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Whether the process is running. */
  readonly running: boolean;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s) and wait for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Freeze the server (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Unfreeze it (SIGCONT). */
  resume(): void;
  /** Start it again on the same port (after `stop`), empty. */
  restart(): Promise<void>;
}
/** Path of a redis-server binary: REDIS_SERVER, or on the PATH, installed with apt-get when missing and root. Throws with instructions otherwise. */
export declare function ensureRedisServer(): string;
/** Start an empty, non-persistent redis-server on a free port on 127.0.0.1 and wait until it answers. */
export declare function startRedisServer(): Promise<RedisServer>;
