import { useEffect, useRef, useState } from 'react';
import type { TimeAxis } from '../../../../../shared/types';
import { formatTime } from '../../../lib/format';
import { fromUtcInputValue, toUtcInputValue } from '../../../lib/utcInput';

const AXIS_HELP: Record<TimeAxis, string> = {
  recorded:
    'As known at: what the system had recorded by that moment. Corrections recorded later are not included, even if they are backdated.',
  occurred:
    'As it happened: events placed by their business time (when they occurred), including corrections recorded later and backdated.',
};

/** The slider over versions, ←/→ steps, a UTC date-time, and the choice of time axis. */
export function TimeBar({
  version,
  maxVersion,
  axis,
  time,
  onVersion,
  onTime,
  onAxis,
}: {
  version: number;
  maxVersion: number;
  axis: TimeAxis;
  time: number | null;
  /** `push`: a new entry in the back/forward history; false while dragging (the entry is replaced). */
  onVersion: (version: number, push: boolean) => void;
  onTime: (time: number) => void;
  onAxis: (axis: TimeAxis) => void;
}) {
  const dragging = useRef(false);
  const [text, setText] = useState(time === null ? '' : toUtcInputValue(time));
  useEffect(() => {
    if (time !== null) setText(toUtcInputValue(time));
  }, [time]);
  const parsed = fromUtcInputValue(text);

  return (
    <div className="timebar">
      <button
        type="button"
        className="btn btn-sm"
        aria-label="Previous version"
        title="Previous version (←)"
        disabled={version <= 0}
        onClick={() => onVersion(version - 1, true)}
      >
        ←
      </button>
      <input
        type="range"
        className="timebar-slider"
        min={0}
        max={maxVersion}
        value={version}
        aria-label="Version"
        aria-valuetext={`version ${version} of ${maxVersion}`}
        onPointerDown={() => {
          // One history entry for a whole drag: pushed when it starts, replaced while it moves.
          dragging.current = true;
          onVersion(version, true);
        }}
        onPointerUp={() => {
          dragging.current = false;
        }}
        onChange={(event) => onVersion(Number(event.target.value), !dragging.current)}
      />
      <button
        type="button"
        className="btn btn-sm"
        aria-label="Next version"
        title="Next version (→)"
        disabled={version >= maxVersion}
        onClick={() => onVersion(version + 1, true)}
      >
        →
      </button>
      <span className="timebar-version num">
        v{version}
        <span className="faint">/{maxVersion}</span>
      </span>
      <form
        className="timebar-time"
        onSubmit={(event) => {
          event.preventDefault();
          if (parsed !== null) onTime(parsed);
        }}
      >
        <input
          type="datetime-local"
          step={1}
          className="input"
          aria-label="Point in time (UTC)"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <span className="faint">UTC</span>
        <button type="submit" className="btn btn-sm" disabled={parsed === null}>
          Go
        </button>
      </form>
      <fieldset className="segmented" aria-label="Time axis">
        {(['recorded', 'occurred'] as const).map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={axis === option}
            className={axis === option ? 'segmented-on' : ''}
            title={AXIS_HELP[option]}
            onClick={() => onAxis(option)}
          >
            {option === 'recorded' ? 'as known at' : 'as it happened'}
          </button>
        ))}
      </fieldset>
      {time !== null && (
        <span className="faint timebar-note" title={AXIS_HELP[axis]}>
          {axis === 'recorded' ? 'known at' : 'happened by'} {formatTime(time)}
        </span>
      )}
    </div>
  );
}
