import { redirect } from 'next/navigation';
import { enterSeason } from '../../_lib/season.ts';
import { withParams, type SearchParams } from '../../_lib/params.ts';

/** `/matrix/N` is the matrix filtered to day N. */
export default async function MatrixDayPage({ params, searchParams }: { params: Promise<{ day: string; season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  redirect(withParams(`${base}/matrix`, await searchParams, { day: (await params).day }));
}
