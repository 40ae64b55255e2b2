// The same page for an older season, at /YEAR/matrix/[day] (app/_lib/data.ts enterSeason reads the year).
export { default } from '../../../matrix/[day]/page.tsx';
