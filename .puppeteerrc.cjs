// Puppeteer (a dependency of pa11y) must never download a browser: the checks use Debian's Chromium.
module.exports = { skipDownload: true };
