/**
 * Lighthouse 12.2.3 (pinned: the version known to run on this Node and Debian's Chromium), run
 * through its own command line, one fresh Chromium per audit as Lighthouse advises.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/** The device Lighthouse emulates: a mid-range phone on a slow network, or a desktop. */
export type FormFactor = 'mobile' | 'desktop';

/** The four categories, each scored from 0 to 100. */
export const lighthouseCategories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type LighthouseCategory = (typeof lighthouseCategories)[number];

/** Scores and the metrics that explain them for one page on one device. */
export interface LighthouseResult {
  scores: Record<LighthouseCategory, number>;
  /** Cumulative layout shift (unitless). */
  cls: number;
  /** Total blocking time, ms. */
  tbtMs: number;
  /** Largest contentful paint, ms. */
  lcpMs: number;
  /** First contentful paint, ms. */
  fcpMs: number;
  /** Audits that lost points, with their score (0–1), for the report. */
  failing: { id: string; category: LighthouseCategory; score: number; title: string; value?: string }[];
  /** Warnings Lighthouse raised about the run itself (e.g. a slow machine). */
  warnings: string[];
  /** Lighthouse's measure of the machine's speed during the run (higher is faster; it expects ≥ 1,000). */
  benchmarkIndex: number;
}

/** Chromium's path (Debian's), never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium floods the closed network at start.
const chromeFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface LighthouseJson {
  environment: { benchmarkIndex: number };
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
  categories: Record<LighthouseCategory, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { title: string; score: number | null; scoreDisplayMode: string; numericValue?: number; displayValue?: string }>;
}

/** Runs of Lighthouse for one audit at most: its own runtime errors (« NO_NAVSTART »…) come and go. */
const attempts = 3;

/**
 * Audits `url` with Lighthouse's default settings for `formFactor` (simulated throttling). A run
 * Lighthouse itself could not record (a runtime error) is made again, up to 3 runs in all.
 */
export async function auditWithLighthouse(url: string, formFactor: FormFactor): Promise<LighthouseResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await auditOnce(url, formFactor);
    } catch (error) {
      if (!(error instanceof LighthouseRuntimeError) || attempt === attempts) throw error;
      console.log(`  Lighthouse n’a pas pu mesurer (essai ${attempt}/${attempts}) : ${error.message.split('\n')[0]} ; nouvel essai.`);
    }
  }
}

/** Lighthouse ran but could not record the page (its « Runtime error encountered »). */
class LighthouseRuntimeError extends Error {}

async function auditOnce(url: string, formFactor: FormFactor): Promise<LighthouseResult> {
  const cli = createRequire(import.meta.url).resolve('lighthouse/cli/index.js');
  const args = [
    cli,
    url,
    '--output=json',
    '--output-path=stdout',
    '--quiet',
    `--only-categories=${lighthouseCategories.join(',')}`,
    `--chrome-flags=${chromeFlags.join(' ')}`,
    ...(formFactor === 'desktop' ? ['--preset=desktop'] : []),
  ];
  const stdout = await new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: chromiumPath }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) return done(out);
      const message = `Lighthouse (${formFactor}) sur ${url} : code ${code}\n${err.slice(-2000)}`;
      fail(/Runtime error encountered/.test(err) ? new LighthouseRuntimeError(message) : new Error(message));
    });
  });
  const report = JSON.parse(stdout) as LighthouseJson;
  if (report.runtimeError) throw new LighthouseRuntimeError(`Lighthouse (${formFactor}) sur ${url} : ${report.runtimeError.code} ${report.runtimeError.message}`);
  const numeric = (id: string) => report.audits[id]?.numericValue ?? Number.NaN;
  const scores = {} as Record<LighthouseCategory, number>;
  const failing: LighthouseResult['failing'] = [];
  for (const category of lighthouseCategories) {
    scores[category] = Math.round((report.categories[category].score ?? 0) * 100);
    for (const ref of report.categories[category].auditRefs) {
      const audit = report.audits[ref.id];
      if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
      failing.push({ id: ref.id, category, score: audit.score, title: audit.title, ...(audit.displayValue ? { value: audit.displayValue } : {}) });
    }
  }
  return {
    scores,
    cls: numeric('cumulative-layout-shift'),
    tbtMs: numeric('total-blocking-time'),
    lcpMs: numeric('largest-contentful-paint'),
    fcpMs: numeric('first-contentful-paint'),
    failing,
    warnings: report.runWarnings ?? [],
    benchmarkIndex: report.environment.benchmarkIndex,
  };
}
