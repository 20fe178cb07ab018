/** How sure the scanner was about a receipt, as a small bar and a percentage. */
export function ConfidenceMeter({ value }: { value: number }) {
  const percent = Math.round(value * 100);
  const level = value >= 0.8 ? 'high' : value >= 0.5 ? 'mid' : 'low';
  return (
    <span className={`confidence ${level}`} title={`${percent}% confident`}>
      <span className="confidence-track" aria-hidden="true">
        <span className="confidence-fill" style={{ width: `${percent}%` }} />
      </span>
      {percent}%
    </span>
  );
}
