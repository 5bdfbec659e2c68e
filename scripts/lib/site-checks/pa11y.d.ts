// pa11y ships no types: the part of its API this project uses.
declare module 'pa11y' {
  interface Pa11yOptions {
    standard?: 'WCAG2A' | 'WCAG2AA' | 'WCAG2AAA';
    timeout?: number;
    actions?: string[];
    runners?: string[];
    chromeLaunchConfig?: { executablePath?: string; args?: string[] };
  }
  interface Pa11yResult {
    issues: { type: 'error' | 'warning' | 'notice'; code: string; selector: string; message: string; runner: string }[];
  }
  export default function pa11y(url: string, options?: Pa11yOptions): Promise<Pa11yResult>;
}
