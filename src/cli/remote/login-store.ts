import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One server's sign-in, as `gatehouse login` stores it. */
export interface StoredLogin {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080 */
  server: string;
  issuer: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  /** The admin API's resource identifier: the audience of the tokens. */
  resource: string;
  clientId: string;
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Who signed in, for `gatehouse login` to say so. */
  user?: string;
}

interface LoginFile {
  /** The server of the last login: commands use it when none is named. */
  current?: string;
  servers: Record<string, StoredLogin>;
}

/** `$XDG_CONFIG_HOME/gatehouse`, else `~/.config/gatehouse`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'gatehouse');
}

/** A gateway URL in one form: no trailing slash, no path. */
export function normalizeServer(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`The server must be an http(s) URL: ${url}`);
  return u.origin;
}

/** Tokens per server, in a file only the user can read (0600, in a 0700 directory). */
export class LoginStore {
  readonly file: string;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.file = join(configDir(env), 'credentials.json');
  }

  #read(): LoginFile {
    if (!existsSync(this.file)) return { servers: {} };
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<LoginFile>;
    return { ...(parsed.current ? { current: parsed.current } : {}), servers: parsed.servers ?? {} };
  }

  #write(data: LoginFile): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    // Written aside and renamed, so a crash never leaves half a file; created 0600, never readable by others.
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  get(server: string): StoredLogin | undefined {
    return this.#read().servers[server];
  }

  /** The server of the last login, if any. */
  current(): string | undefined {
    return this.#read().current;
  }

  save(login: StoredLogin, makeCurrent = true): void {
    const data = this.#read();
    data.servers[login.server] = login;
    if (makeCurrent) data.current = login.server;
    this.#write(data);
  }

  remove(server: string): boolean {
    const data = this.#read();
    if (!data.servers[server]) return false;
    delete data.servers[server];
    if (data.current === server) delete data.current;
    this.#write(data);
    return true;
  }
}
