/**
 * zod speaks French to people, everywhere (command line, server, browser): importing this module
 * sets its messages once. Every schema module imports it through `common.ts`.
 */
import { z } from 'zod';
import { fr } from 'zod/locales';

z.config(fr());
