/**
 * Every query parameter a public view reads. Anything else is dropped before
 * a page sees it and from the page cache's key: an unknown or junk parameter
 * neither renders a page again nor ends up in the page's links.
 */
export const VIEW_PARAMS = new Set([
  // the statistic, unit, language filter, anonymity and hardware class of every board view
  'method', 'unit', 'lang', 'anon', 'class',
  // the leaderboard: column order, name search, which window of participants
  'order', 'q', 'page', 'around',
  // the matrix
  'day', 'participant', 'input',
  // health: only what is wrong
  'bad',
  // cell details
  'p', 'd',
  // the season of an API answer (pages take theirs from the path: /2023/...)
  'season',
]);
