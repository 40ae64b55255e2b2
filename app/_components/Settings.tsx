import Link from 'next/link';
import { FindBox } from './FindBox.tsx';
import { METHODS, UNITS, unitLabel } from '../../lib/format.ts';
import { withParams, type ViewParams } from '../_lib/params.ts';

const METHOD_LABEL = { median: 'Median', min: 'Minimum', mean: 'Mean', max: 'Maximum' };

/** Statistic, unit and language filter switches; plain links, so they work without JavaScript. `board`: the leaderboard's order and find too. */
export function Settings({ path, v, languages, board = false }: { path: string; v: ViewParams; languages?: string[]; board?: boolean }) {
  return (
    <div className="settings">
      <div className="group">
        <span className="label">Statistic</span>
        {METHODS.map((m) => (
          <Link key={m} className={m === v.method ? 'active' : ''} href={withParams(path, v.raw, { method: m })} data-testid={`method-${m}`}>
            {METHOD_LABEL[m]}
          </Link>
        ))}
      </div>
      <div className="group">
        <span className="label">Unit</span>
        {UNITS.map((u) => (
          <Link key={u} className={u === v.unit ? 'active' : ''} href={withParams(path, v.raw, { unit: u })} data-testid={`unit-${u}`}>
            {unitLabel(u)}
          </Link>
        ))}
      </div>
      {languages && languages.length > 0 ? (
        <div className="group">
          <span className="label">Language</span>
          {languages.map((l) => (
            <span key={l}>
              <Link className={v.lang.includes(l) ? 'active' : ''} href={withParams(path, v.raw, { lang: [...v.lang.filter((x) => x !== `!${l}`), l] })}>
                {l}
              </Link>
              <Link className="muted" title={`exclude ${l}`} href={withParams(path, v.raw, { lang: [...v.lang.filter((x) => x !== l), `!${l}`] })}>
                {' '}
                ✕
              </Link>
            </span>
          ))}
          {v.lang.length ? <Link href={withParams(path, v.raw, { lang: undefined })}>all</Link> : null}
        </div>
      ) : null}
      <div className="group">
        <Link href={withParams(path, v.raw, { anon: v.anon ? undefined : '' })}>{v.anon ? 'Show names' : 'Anonymise'}</Link>
      </div>
      {board ? (
        <>
          <div className="group">
            <span className="label">Order</span>
            <Link className={v.order === 'standing' ? 'active' : ''} href={withParams(path, v.raw, { order: undefined })} data-testid="order-standing">
              Standing
            </Link>
            <Link className={v.order === 'config' ? 'active' : ''} href={withParams(path, v.raw, { order: 'config' })} data-testid="order-config">
              Config
            </Link>
          </div>
          {/* A plain GET form: finding a participant works without JavaScript. */}
          <form className="group find" action={path} method="get">
            {Object.entries(v.raw)
              .filter(([k]) => k !== 'q')
              .flatMap(([k, val]) => (Array.isArray(val) ? val : [val ?? '']).map((x, i) => <input key={`${k}${i}`} type="hidden" name={k} value={x} />))}
            <FindBox initial={v.q ?? ''} anon={v.anon} base={withParams(path, v.raw, { q: undefined, page: undefined, around: undefined })} />
          </form>
        </>
      ) : null}
    </div>
  );
}
