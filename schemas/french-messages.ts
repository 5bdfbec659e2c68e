/**
 * zod speaks French to people, everywhere (command line, server, browser): importing this module
 * sets its messages once (and, in browsers, parsing without eval). Every schema module imports it
 * through `common.ts`.
 */
import { z } from 'zod';
import { fr } from 'zod/locales';

z.config(fr());
// In browsers the site's Content-Security-Policy forbids eval: zod must not even try to compile
// its parsers with `new Function`, since the caught attempt is still reported as a violation.
if (typeof document !== 'undefined') z.config({ jitless: true });
