// The same page for an older season, at /YEAR/participants/[name] (app/_lib/data.ts enterSeason reads the year).
export { default, generateMetadata } from '../../../participants/[name]/page.tsx';
