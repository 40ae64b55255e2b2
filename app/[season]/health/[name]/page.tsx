// The same page for an older season, at /YEAR/health/[name] (app/_lib/data.ts enterSeason reads the year).
export { default, generateMetadata } from '../../../health/[name]/page.tsx';
