// The same page for an older season, at /YEAR/memory (app/_lib/data.ts enterSeason reads the year).
export { default, metadata } from '../../memory/page.tsx';
