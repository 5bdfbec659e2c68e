/** Where the site reads the commons from, shared by the content config, history and exports. */
import { resolve } from 'node:path';

/** Absolute path of the content tree; astro.config.mjs sets CONTENT_DIR to an absolute path. */
export const contentDir = resolve(process.env.CONTENT_DIR ?? 'content');
