// The same page for an older season, at /YEAR/days/[day] (app/_lib/data.ts enterSeason reads the year).
export { default, generateMetadata } from '../../../days/[day]/page.tsx';
