/**
 * pa11y (HTML_CodeSniffer, WCAG 2 AA) on one page, driving Debian's Chromium through pa11y's own
 * puppeteer; no browser is ever downloaded.
 */
import pa11y from 'pa11y';
import { chromiumPath } from './lighthouse-audit.ts';

/** One issue pa11y reports. */
export interface Pa11yIssue {
  type: 'error' | 'warning' | 'notice';
  /** HTML_CodeSniffer's rule, e.g. `WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2`. */
  code: string;
  selector: string;
  message: string;
}

/** Checks `url` against WCAG 2 AA; `readySelector` waits for content rendered by a script. */
export async function auditWithPa11y(url: string, readySelector?: string): Promise<Pa11yIssue[]> {
  const result = await pa11y(url, {
    standard: 'WCAG2AA',
    timeout: 60_000,
    ...(readySelector ? { actions: [`wait for element ${readySelector} to be added`] } : {}),
    chromeLaunchConfig: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  });
  return result.issues.map((issue) => ({ type: issue.type, code: issue.code, selector: issue.selector, message: issue.message }) as Pa11yIssue);
}
