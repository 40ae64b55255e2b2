import { logTail } from './log-tail.ts';

/** Logs longer than this are not sent whole: the tail is what a reader needs, the runner's log has the rest. */
const FULL_MAX = 200_000;

/**
 * A build or git log, showing its last lines: the box starts scrolled to the
 * end (column-reverse), so the error is what a reader sees first, not the
 * first screen of a long build.
 */
export function LogTail({ title, text, open, testId }: { title: string; text: string; open: boolean; testId: string }) {
  const { tail, omittedLines } = logTail(text);
  return (
    <details open={open}>
      <summary>
        {title}
        {omittedLines ? <span className="muted"> (last lines; {omittedLines} earlier lines not shown)</span> : null}
      </summary>
      <pre className="output tail" data-testid={testId}>
        <span>{tail || '(empty)'}</span>
      </pre>
      {omittedLines && text.length <= FULL_MAX ? (
        <details>
          <summary>the whole log</summary>
          <pre className="output">{text}</pre>
        </details>
      ) : null}
    </details>
  );
}
