// The same page for an older season, at /YEAR/hardware (app/_lib/data.ts enterSeason reads the year).
export { default, metadata } from '../../hardware/page.tsx';
