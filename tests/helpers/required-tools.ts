/**
 * Tests that need Java (the Nu Html Checker) skip where it is missing, so a contributor's laptop
 * still runs the rest; under CI (`CI` set) a missing Java fails the run. Chromium: ./chromium.ts.
 */
import { spawnSync } from 'node:child_process';
import { javaPath } from '../../scripts/lib/nu-html-checker.ts';

function required(name: string, present: boolean): boolean {
  if (!present && process.env.CI) throw new Error(`${name} est introuvable ; sous CI, les tests qui en ont besoin échouent au lieu d’être sautés.`);
  return present;
}

/** Whether Java runs here, for the Nu Html Checker (else skip; under CI, throw). */
export function needsJava(): boolean {
  return required(`Java (${javaPath} ; apt-get install -y default-jre-headless)`, spawnSync(javaPath, ['-version']).status === 0);
}
