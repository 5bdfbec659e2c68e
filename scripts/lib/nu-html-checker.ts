/**
 * The Nu Html Checker (vnu-jar) on Debian's Java (`apt-get install -y default-jre-headless`); the
 * vnu-jar package would otherwise fetch a runtime of its own, which this project never lets it do.
 * One Java process checks a whole site, a list of files or one HTML text.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One message of the checker about one page. */
export interface NuMessage {
  /** Path of the page's file, relative to the checked directory; `-` for an HTML text. */
  file: string;
  line?: number;
  /** `error`, or `warning` (info messages with the warning subtype). */
  type: 'error' | 'warning';
  message: string;
  /** The markup the message points at, shortened. */
  extract?: string;
}

/** What the checker found in a site. */
export interface NuReport {
  messages: NuMessage[];
}

/** The Java runtime that runs the checker: `JAVA`, or `java` on the PATH. */
export const javaPath = process.env.JAVA ?? 'java';

/** Checks every `.html` file under `siteDir`, errors and warnings. */
export async function checkHtmlWithNu(siteDir: string): Promise<NuReport> {
  return { messages: await runVnu(['--skip-non-html', siteDir], siteDir) };
}

/** Checks HTML files, or one HTML text; resolves with the errors only (empty when valid). */
export async function checkHtml(input: { files: string[] } | { html: string }): Promise<NuMessage[]> {
  const messages = 'files' in input ? await runVnu(['--errors-only', ...input.files]) : await runVnu(['--errors-only', '-'], undefined, input.html);
  return messages.filter((m) => m.type === 'error');
}

async function runVnu(args: string[], baseDir?: string, stdin?: string): Promise<NuMessage[]> {
  const jar = String(createRequire(import.meta.url)('vnu-jar'));
  const report = await runJava(['-jar', jar, '--format', 'json', ...args], stdin);
  let parsed: { messages: { url?: string; type: string; subType?: string; message: string; lastLine?: number; extract?: string }[] };
  try {
    parsed = JSON.parse(report);
  } catch {
    throw new Error(`Nu Html Checker : sortie illisible :\n${report.slice(0, 2000)}`);
  }
  const messages: NuMessage[] = [];
  for (const m of parsed.messages) {
    const type = m.type === 'error' ? 'error' : m.type === 'info' && m.subType === 'warning' ? 'warning' : undefined;
    if (!type) continue;
    // A message without a page (a crash of the checker on a file) is an error too.
    const path = m.url?.startsWith('file:') ? fileURLToPath(m.url) : (m.url ?? '-');
    const file = baseDir && path !== '-' ? relative(baseDir, path) : path;
    messages.push({ file, line: m.lastLine, type, message: m.message, ...(m.extract ? { extract: m.extract.trim().slice(0, 160) } : {}) });
  }
  return messages;
}

// vnu writes its JSON report on stderr and exits 1 when it found errors: both are normal.
function runJava(args: string[], stdin?: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(javaPath, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      fail(new Error(`Java introuvable (${javaPath}) : ${error.message}. Installez-le (apt-get install -y default-jre-headless) ou donnez son chemin dans JAVA.`)),
    );
    child.on('close', (code) => (code === 0 || code === 1 ? done(stderr) : fail(new Error(`Java s’est arrêté (code ${code}) :\n${stderr.slice(0, 2000)}`))));
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}
