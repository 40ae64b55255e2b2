// The same page for an older season, at /YEAR/matrix/submit (app/_lib/data.ts enterSeason reads the year).
export { default, metadata } from '../../../matrix/submit/page.tsx';
