/**
 * Git's own client for the network (clone, fetch, push to a forge or another commons), run as a
 * child process, never blocking the event loop. Credentials — from the remote's URL or from
 * separate settings — are handed to Git by a credential helper reading the child's environment:
 * they never appear on a command line, in `.git/config`, in a log or in a page. Git's answers are
 * sorted into the few cases the server acts on, each with a French explanation.
 */
import { spawn } from 'node:child_process';

/** A repository on the network, with its credentials kept apart from its address. */
export interface RemoteEndpoint {
  /** Address given to Git, without credentials. */
  url: string;
  /** Address shown in logs, pages and messages (the same: it holds no secret). */
  label: string;
  username?: string;
  password?: string;
}

/** Why a network operation failed, as far as the server needs to know. */
export type RemoteFailureKind = 'credentials' | 'unreachable' | 'rejected' | 'missing' | 'other';

/** A failed network operation, with a French message safe to show. */
export class RemoteError extends Error {
  readonly kind: RemoteFailureKind;

  constructor(kind: RemoteFailureKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'RemoteError';
  }
}

/** Result of one Git command. */
export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Splits a remote's address from its credentials: `https://user:token@host/x.git` (as Git
 * accepts) or separate user and password; the separate ones win when both are given.
 */
export function remoteEndpoint(address: string, username?: string, password?: string): RemoteEndpoint {
  let url = address;
  let user = username;
  let secret = password;
  if (/^https?:\/\//i.test(address)) {
    const parsed = new URL(address);
    if (parsed.username || parsed.password) {
      user ??= decodeURIComponent(parsed.username) || undefined;
      secret ??= decodeURIComponent(parsed.password) || undefined;
      parsed.username = '';
      parsed.password = '';
    }
    url = parsed.href;
  }
  if (/[\r\n\0]/.test(user ?? '') || /[\r\n\0]/.test(secret ?? '')) {
    throw new RemoteError('credentials', 'identifiants du dépôt distant invalides : ils ne peuvent pas contenir de retour à la ligne');
  }
  return { url, label: url, ...(user ? { username: user } : {}), ...(secret ? { password: secret } : {}) };
}

/** Hands the credentials from the environment to Git, only when Git asks for them. */
const CREDENTIAL_HELPER = '!f() { test "$1" = get || exit 0; printf "username=%s\\npassword=%s\\n" "$TERREAU_GIT_USERNAME" "$TERREAU_GIT_PASSWORD"; }; f';

/** Runs `git <args>`; resolves with its exit code and output (redacted), rejects only if Git cannot start. */
export function runGit(args: string[], options: { cwd?: string; endpoint?: RemoteEndpoint; timeoutMs: number; signal?: AbortSignal }): Promise<GitRun> {
  const settings: [string, string][] = [
    // Forget helpers from the user's configuration: only ours answers.
    ['credential.helper', ''],
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
    ['core.quotePath', 'false'],
    ['safe.directory', '*'],
  ];
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The server's own settings (remote credentials, webhook secret) stay out of Git's environment.
    if (value !== undefined && !key.startsWith('COMMONS_')) env[key] = value;
  }
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '', GCM_INTERACTIVE: 'never', LC_ALL: 'C' });
  const { endpoint } = options;
  if (endpoint?.username || endpoint?.password) {
    settings.push(['credential.helper', CREDENTIAL_HELPER]);
    env.TERREAU_GIT_USERNAME = endpoint.username ?? '';
    env.TERREAU_GIT_PASSWORD = endpoint.password ?? '';
  }
  env.GIT_CONFIG_COUNT = String(settings.length);
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...(options.signal ? { signal: options.signal, killSignal: 'SIGKILL' as const } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-8000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    timer.unref();
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const redact = (text: string) => redactCredentials(text, endpoint);
      if (timedOut) resolve({ code: -1, stdout: redact(stdout), stderr: `délai de ${Math.round(options.timeoutMs / 1000)} s dépassé\n${redact(stderr)}` });
      else resolve({ code: code ?? -1, stdout: redact(stdout), stderr: redact(stderr) });
    });
  });
}

/** Removes anything that looks like a credential from Git's output (defence in depth). */
export function redactCredentials(text: string, endpoint?: RemoteEndpoint): string {
  let result = text.replace(/(\w+:\/\/)[^/\s@]+@/g, '$1***@');
  for (const secret of [endpoint?.password, endpoint?.username]) {
    if (secret && secret.length >= 3) result = result.split(secret).join('***');
  }
  return result;
}

/** Turns a failed network command into a `RemoteError` with a French explanation. */
export function remoteFailure(run: GitRun, endpoint: RemoteEndpoint, what: string): RemoteError {
  const output = run.stderr;
  const hasCredentials = !!(endpoint.username || endpoint.password);
  if (/Authentication failed|could not read (Username|Password)|returned error: (401|403)|HTTP Basic: Access denied|Invalid username or password/i.test(output)) {
    return new RemoteError(
      'credentials',
      hasCredentials
        ? `${what} : le dépôt ${endpoint.label} refuse les identifiants donnés. Vérifiez l’utilisateur et le jeton (dans COMMONS_REMOTE ou COMMONS_REMOTE_USER et COMMONS_REMOTE_PASSWORD) ; pour pousser, le jeton doit avoir le droit d’écrire.`
        : `${what} : le dépôt ${endpoint.label} demande des identifiants. Donnez-les dans l’adresse (https://utilisateur:jeton@…) ou dans COMMONS_REMOTE_USER et COMMONS_REMOTE_PASSWORD.`,
    );
  }
  if (/couldn't find remote ref|Remote branch .* not found/i.test(output)) {
    return new RemoteError('missing', `${what} : la branche n’existe pas encore sur ${endpoint.label}`);
  }
  if (run.code === -1 || /Could not resolve host|Failed to connect|Connection refused|Connection reset|Empty reply|timed out|returned error: 5\d\d|unable to access|Recv failure|early EOF|unexpected disconnect/i.test(output)) {
    return new RemoteError('unreachable', `${what} : dépôt ${endpoint.label} injoignable (${firstLine(output)})`);
  }
  return new RemoteError('other', `${what} : ${firstLine(output) || `git s’est arrêté (code ${run.code})`}`);
}

function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/^(fatal|error|remote): /, '').trim())
    .filter((line) => line && !/^hint:/.test(line));
  return lines.at(-1) ?? '';
}
