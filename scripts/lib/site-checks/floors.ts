/** The floors every page of the built site must reach with the independent checkers. */
export const floors = {
  /** Nu Html Checker errors, on every page. */
  nuErrors: 0,
  /** Lowest Lighthouse score (0–100) in each of the four categories, mobile and desktop. */
  lighthouseScore: 95,
  /** Cumulative layout shift must stay below this. */
  clsBelow: 0.05,
  /** pa11y (WCAG2AA) errors, on every page type. */
  pa11yErrors: 0,
};
