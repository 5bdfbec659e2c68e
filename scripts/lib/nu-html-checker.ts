/** The Nu Html Checker (vnu.jar from the vnu-jar package) run on Debian's Java: HTML errors of pages or of a string. */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One error the checker reports. */
export interface HtmlError {
  /** The file, or `-` for standard input. */
  url: string;
  line?: number;
  message: string;
  extract?: string;
}

const JAVA = process.env.JAVA ?? 'java';
const VNU_JAR = join(dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');

/** Checks HTML files, or one HTML text when `files` is a string with markup; resolves with the errors (empty when valid). */
export function checkHtml(input: { files: string[] } | { html: string }): Promise<HtmlError[]> {
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...('files' in input ? input.files : ['-'])];
  return new Promise((resolve, reject) => {
    const child = execFile(JAVA, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      // vnu exits 1 when it found errors; its JSON report is on stderr.
      const report = (stderr || stdout).trim();
      if (!report.startsWith('{')) return reject(new Error(`Nu Html Checker : ${(error as Error | null)?.message ?? report} (Java installé ? apt-get install -y default-jre-headless)`));
      const { messages } = JSON.parse(report) as { messages: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[] };
      resolve(messages.filter((m) => m.type === 'error').map((m) => ({ url: m.url ?? '-', line: m.lastLine, message: m.message, extract: m.extract })));
    });
    if ('html' in input) child.stdin!.end(input.html);
  });
}
