import { redirect } from 'next/navigation';
import { withParams, type SearchParams } from '../../_lib/params.ts';

/** `/matrix/N` is the matrix filtered to day N. */
export default async function MatrixDayPage({ params, searchParams }: { params: Promise<{ day: string }>; searchParams: SearchParams }) {
  redirect(withParams('/matrix', await searchParams, { day: (await params).day }));
}
