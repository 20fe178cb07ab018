// The receipt's image, large, with zoom (wheel, buttons, + − 0 keys) and pan (drag, arrow keys), one
// page at a time (buttons, Page Up / Page Down), and on it the boxes each field was read from. While a
// field is focused, what can be picked for it (amounts, dates or lines) is outlined and a click sets
// the field. Pressing on the image never takes the focus from the field, so the person can pick one
// number after another.
import { useEffect, useEffectEvent, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type SVGProps } from 'react';
import type { PageBox, Provenance, ReadTarget } from '../../../shared/model';
import { BOXED_FIELDS, candidatesFor, imageFitsPage, type BoxedField } from './field-targets';
import type { FormField } from './receipt-form';

const FIELD_LABEL: Record<BoxedField, string> = {
  merchant: 'Merchant',
  date: 'Date',
  totalMinor: 'Total',
  subtotalMinor: 'Subtotal',
  taxMinor: 'Tax',
  tipMinor: 'Tip',
};

const MIN_ZOOM = 1;
const MAX_ZOOM = 8;
const ZOOM_STEP = 1.25;
/** Screen pixels an arrow key pans. */
const PAN_STEP = 60;
/** Screen pixels a press may move and still be a click, not a drag. */
const CLICK_SLOP = 4;

interface View {
  zoom: number;
  x: number;
  y: number;
}

interface Props {
  url: string;
  alt: string;
  width: number;
  height: number;
  /** Null, or not of this image (a merged-in file): no boxes are drawn. */
  provenance: Provenance | null;
  /** The page of the reading the image is of (0-based, as in the boxes). */
  page: number;
  /** Shows another page of the reading. */
  onPage(page: number): void;
  /** The boxes drawn for each field (shownBoxes). */
  boxes: Partial<Record<BoxedField, PageBox[]>>;
  /** The field hovered or focused: its box stands out. */
  activeField: FormField | null;
  /** The field focused: what can be picked for it is outlined and clickable. */
  pickField: FormField | null;
  /** A candidate stepped to with the keyboard: marked and brought into view. */
  candidate: ReadTarget | null;
  /** Line item hovered or focused in the list: its rows stand out. */
  activeItem: number | null;
  onPick(target: ReadTarget): void;
}

export function ReceiptViewer({
  url,
  alt,
  width,
  height,
  provenance,
  page: pageIndex,
  onPage,
  boxes,
  activeField,
  pickField,
  candidate,
  activeItem,
  onPick,
}: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const [frameSize, setFrameSize] = useState({ w: 0, h: 0 });
  const [view, setView] = useState<View>({ zoom: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; viewX: number; viewY: number; moved: boolean } | null>(null);

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    const measure = () => setFrameSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Zoom 1 shows the whole receipt, centred; pan keeps some of it in the frame.
  const fit = frameSize.w > 0 ? Math.min(frameSize.w / width, frameSize.h / height) : 0;
  const scale = fit * view.zoom;
  const clamp = (v: View): View => {
    const [w, h] = [width * fit * v.zoom, height * fit * v.zoom];
    const bound = (pos: number, size: number, frameLen: number) =>
      size <= frameLen ? (frameLen - size) / 2 : Math.min(0, Math.max(frameLen - size, pos));
    return { zoom: v.zoom, x: bound(v.x, w, frameSize.w), y: bound(v.y, h, frameSize.h) };
  };
  const shown = clamp(view);

  useEffect(() => setView({ zoom: 1, x: 0, y: 0 }), [url]);

  /** Zoom by `factor` keeping the image point under (cx, cy) of the frame where it is. */
  const zoomBy = (factor: number, cx = frameSize.w / 2, cy = frameSize.h / 2) => {
    setView((v) => {
      const cur = clamp(v);
      const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, cur.zoom * factor));
      const k = zoom / cur.zoom;
      return clamp({ zoom, x: cx - (cx - cur.x) * k, y: cy - (cy - cur.y) * k });
    });
  };
  const panBy = (dx: number, dy: number) => setView((v) => clamp({ ...clamp(v), x: clamp(v).x + dx, y: clamp(v).y + dy }));

  const fits = provenance !== null && imageFitsPage(provenance, pageIndex, width, height);
  const page = provenance?.pages[pageIndex];
  const pageCount = provenance?.pages.length ?? 1;
  const shownHere = (b: PageBox) => b.page === pageIndex;
  // Page units to image pixels (the image may be smaller or larger than the page OCR read).
  const unit = fits && page ? width / page.width : 1;

  // A candidate stepped to off screen is brought to the middle of the frame. Only a new candidate moves
  // the view; zooming or panning afterwards is the person's.
  const bringIntoView = useEffectEvent((target: ReadTarget) => {
    if (!fits) return;
    const b = target.box;
    const [left, top] = [shown.x + b.x0 * unit * scale, shown.y + b.y0 * unit * scale];
    const [right, bottom] = [shown.x + b.x1 * unit * scale, shown.y + b.y1 * unit * scale];
    if (left >= 0 && top >= 0 && right <= frameSize.w && bottom <= frameSize.h) return;
    setView((v) =>
      clamp({ ...v, x: frameSize.w / 2 - ((b.x0 + b.x1) / 2) * unit * scale, y: frameSize.h / 2 - ((b.y0 + b.y1) / 2) * unit * scale }),
    );
  });
  useEffect(() => {
    if (candidate) bringIntoView(candidate);
  }, [candidate]);

  // The wheel zooms the image and must not also scroll the panel: React's wheel listener is passive.
  const zoomAt = useEffectEvent(zoomBy);
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const onWheel = (e: globalThis.WheelEvent) => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, e.clientX - rect.left, e.clientY - rect.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);
  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY, viewX: shown.x, viewY: shown.y, moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const [dx, dy] = [e.clientX - d.x, e.clientY - d.y];
    if (!d.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
    if (!d.moved) frame.current?.setPointerCapture(e.pointerId);
    d.moved = true;
    setView((v) => clamp({ ...v, x: d.viewX + dx, y: d.viewY + dy }));
  };
  const onPointerUp = () => {
    // A drag that ends over a target is not a click on it: the flag is read by the click after this.
    setTimeout(() => (drag.current = null));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      '+': () => zoomBy(ZOOM_STEP),
      '=': () => zoomBy(ZOOM_STEP),
      '-': () => zoomBy(1 / ZOOM_STEP),
      '0': () => setView({ zoom: 1, x: 0, y: 0 }),
      ArrowLeft: () => panBy(PAN_STEP, 0),
      ArrowRight: () => panBy(-PAN_STEP, 0),
      ArrowUp: () => panBy(0, PAN_STEP),
      ArrowDown: () => panBy(0, -PAN_STEP),
      PageUp: () => pageIndex > 0 && onPage(pageIndex - 1),
      PageDown: () => pageIndex < pageCount - 1 && onPage(pageIndex + 1),
    };
    const act = keys[e.key];
    if (act && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      act();
    }
  };

  const candidates = fits && provenance && pickField ? candidatesFor(provenance, pickField).filter((t) => shownHere(t.box)) : [];
  // Stroke widths and label sizes stay the same on screen at any zoom.
  const px = 1 / (unit * scale || 1);
  const rect = (b: PageBox, className: string, key: string | number, extra: SVGProps<SVGRectElement> = {}) => (
    <rect
      key={key}
      className={className}
      x={b.x0 - 2 * px}
      y={b.y0 - 2 * px}
      width={b.x1 - b.x0 + 4 * px}
      height={b.y1 - b.y0 + 4 * px}
      rx={3 * px}
      {...extra}
    />
  );

  return (
    <div className="viewer">
      <div
        ref={frame}
        className="viewer-frame"
        tabIndex={0}
        role="group"
        aria-label={`Receipt image: + and − zoom, 0 fits, arrow keys pan${pageCount > 1 ? ', Page Up and Page Down turn the page' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
        // Keeps the focus in the field being picked for; the frame takes it only from the keyboard.
        onMouseDown={(e) => e.preventDefault()}
      >
        <div className="viewer-stage" style={{ width, height, transform: `translate(${shown.x}px, ${shown.y}px) scale(${scale})` }}>
          <img src={url} alt={alt} width={width} height={height} draggable={false} />
          {fits && page && provenance && (
            <svg
              className="field-boxes"
              viewBox={`0 0 ${page.width} ${page.height}`}
              width={width}
              height={height}
              aria-hidden="true"
              style={{ fontSize: 11 * px }}
            >
              {provenance.items.map((boxes, i) =>
                boxes.filter(shownHere).map((b, j) => rect(b, `item-box${activeItem === i ? ' active' : ''}`, `item-${i}-${j}`)),
              )}
              {BOXED_FIELDS.map(([field]) =>
                (boxes[field] ?? []).filter(shownHere).map((b, j) => (
                  <g
                    key={`${field}-${j}`}
                    className={`field-box field-${field}${activeField === field ? ' active' : ''}`}
                    data-field={field}
                  >
                    {rect(b, 'box', 0)}
                    {j === 0 && (
                      <text x={b.x1 + 6 * px} y={(b.y0 + b.y1) / 2} dominantBaseline="central">
                        {FIELD_LABEL[field]}
                      </text>
                    )}
                  </g>
                )),
              )}
              {candidates.map((t, i) =>
                rect(t.box, `pick-target${candidate && candidate.box === t.box ? ' current' : ''}`, `pick-${i}`, {
                  ...({ 'data-value': t.value } as SVGProps<SVGRectElement>),
                  onClick: () => {
                    if (!drag.current?.moved) onPick(t);
                  },
                }),
              )}
            </svg>
          )}
        </div>
      </div>
      <div className="viewer-tools" onMouseDown={(e) => e.preventDefault()}>
        <button
          type="button"
          onClick={() => zoomBy(1 / ZOOM_STEP)}
          disabled={view.zoom <= MIN_ZOOM}
          aria-label="Zoom out"
          title="Zoom out (−)"
        >
          −
        </button>
        <span className="zoom-level" aria-live="polite">
          {Math.round(view.zoom * 100)}%
        </span>
        <button type="button" onClick={() => zoomBy(ZOOM_STEP)} disabled={view.zoom >= MAX_ZOOM} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => setView({ zoom: 1, x: 0, y: 0 })} disabled={view.zoom === 1} title="Fit the whole receipt (0)">
          Fit
        </button>
        {pickField && candidates.length > 0 && (
          <span className="pick-hint">
            Click a highlighted {candidates[0]!.kind === 'line' ? 'line' : candidates[0]!.kind} to set the field, or Alt+↓ / Alt+↑ to step
            through them
          </span>
        )}
        {provenance && !fits && <span className="pick-hint">The fields’ boxes do not fit this image</span>}
        {pageCount > 1 && (
          <span className="viewer-pages">
            <button
              type="button"
              onClick={() => onPage(pageIndex - 1)}
              disabled={pageIndex === 0}
              aria-label="Previous page"
              title="Previous page (Page Up)"
            >
              ‹
            </button>
            <span className="page-number" aria-live="polite">
              Page {pageIndex + 1} of {pageCount}
            </span>
            <button
              type="button"
              onClick={() => onPage(pageIndex + 1)}
              disabled={pageIndex === pageCount - 1}
              aria-label="Next page"
              title="Next page (Page Down)"
            >
              ›
            </button>
          </span>
        )}
      </div>
    </div>
  );
}
