// The same page for an older season, at /YEAR/health (app/_lib/data.ts enterSeason reads the year).
export { default, metadata } from '../../health/page.tsx';
