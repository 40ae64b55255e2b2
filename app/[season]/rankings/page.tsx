// The same page for an older season, at /YEAR/rankings (app/_lib/data.ts enterSeason reads the year).
export { default, metadata } from '../../rankings/page.tsx';
