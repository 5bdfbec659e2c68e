/**
 * Tests that need a program of the machine (Chromium, Java) skip where it is missing, so a
 * contributor's laptop still runs the rest; under CI (`CI` set) a missing program fails the run.
 */
import { spawnSync } from 'node:child_process';
import { javaPath } from '../../scripts/lib/site-checks/nu-html-checker.ts';
import { hasChromium } from './chromium.ts';

function required(name: string, present: boolean): boolean {
  if (!present && process.env.CI) throw new Error(`${name} est introuvable ; sous CI, les tests qui en ont besoin échouent au lieu d’être sautés.`);
  return present;
}

/** Whether Chromium is here (else skip; under CI, throw). */
export function needsChromium(): boolean {
  return required('Chromium (/usr/bin/chromium ou CHROMIUM_PATH ; apt-get install -y chromium)', hasChromium());
}

/** Whether Java runs here, for the Nu Html Checker (else skip; under CI, throw). */
export function needsJava(): boolean {
  return required(`Java (${javaPath} ; apt-get install -y default-jre-headless)`, spawnSync(javaPath, ['-version']).status === 0);
}
