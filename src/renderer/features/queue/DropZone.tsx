// Files and folders can be dropped anywhere on the window. Their paths come from the preload
// (webUtils.getPathForFile); a dropped item without a path (e.g. an image dragged out of a browser)
// is reported rather than silently ignored.
import { useEffect, useRef, useState } from 'react';
import { useToasts } from '../../lib/toasts';

const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export function DropZone({ onPaths }: { onPaths: (paths: string[]) => void }) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const toasts = useToasts();
  const latest = useRef(onPaths);
  latest.current = onPaths;

  useEffect(() => {
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setOver(true);
    };
    const overHandler = (event: DragEvent) => {
      // Without this the drop would navigate the window to the file.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = carriesFiles(event) ? 'copy' : 'none';
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth.current = 0;
      setOver(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      const paths: string[] = [];
      let missing = 0;
      for (const file of files) {
        const path = window.api.pathForFile(file);
        if (path) paths.push(path);
        else missing += 1;
      }
      if (missing > 0) {
        toasts.push({
          kind: 'warning',
          message: `${missing} dropped item${missing === 1 ? ' has' : 's have'} no location on disk; save ${missing === 1 ? 'it' : 'them'} to a folder first, or paste the link.`,
        });
      }
      if (paths.length > 0) latest.current(paths);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [toasts]);

  if (!over) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        <div className="drop-overlay-title">Drop to scan</div>
        <div className="drop-overlay-hint">Photos, scans, PDFs, or whole folders</div>
      </div>
    </div>
  );
}
