// The same page for an older season, at /YEAR/rankings/[day] (app/_lib/data.ts enterSeason reads the year).
export { default, generateMetadata } from '../../../rankings/[day]/page.tsx';
