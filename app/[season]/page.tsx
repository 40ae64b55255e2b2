// The same page for an older season, at /YEAR (app/_lib/data.ts enterSeason reads the year).
export { default, generateMetadata } from '../page.tsx';
