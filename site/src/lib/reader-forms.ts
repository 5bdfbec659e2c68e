/**
 * Where the readers' forms post: the editor server that serves the site (`/contribuer`), or its
 * address when the static site is hosted elsewhere (`READER_FORMS_URL` at build time).
 */

/** The `action` of every reader form of this build. */
export const readerFormsAction = process.env.READER_FORMS_URL ?? '/contribuer';

/** Most links a reader's text may hold (the server's default; said in the forms' help). */
export const READER_MAX_LINKS = 2;
