// The window: a queue of files being scanned, the ledger of receipts, a spending summary and settings.
// Files can be dropped anywhere; shortcuts work from every view.
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { LedgerFilter, Settings } from '../shared/model';
import { errorMessage, invoke, useApiEvent } from './lib/api';
import { isEditable, isPrimaryModifier } from './lib/keys';
import { useToasts } from './lib/toasts';
import { useDebounced } from './lib/use-debounced';
import { DropZone } from './features/queue/DropZone';
import { QueueView } from './features/queue/QueueView';
import { activeCount } from './features/queue/queue-state';
import { useQueue } from './features/queue/use-queue';
import { useScan } from './features/queue/use-scan';
import { LedgerView } from './features/ledger/LedgerView';
import { buildFilter, defaultSort, emptyFilterInputs, isFiltered, type FilterInputs, type Sort } from './features/ledger/filters';
import { SummaryView } from './features/summary/SummaryView';
import { SettingsView } from './features/settings/SettingsView';
import { RulesView } from './features/rules/RulesView';

type View = 'queue' | 'ledger' | 'summary' | 'rules' | 'settings';

const VIEWS: { id: View; label: string }[] = [
  { id: 'queue', label: 'Queue' },
  { id: 'ledger', label: 'Receipts' },
  { id: 'summary', label: 'Spending' },
  { id: 'rules', label: 'Rules' },
  { id: 'settings', label: 'Settings' },
];

/** 'ledger:changed' arrives once per saved receipt; views refresh at most this often. */
const REFRESH_MS = 400;

export function App() {
  const toasts = useToasts();
  const [view, setShownView] = useState<View>('ledger');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [inputs, setInputs] = useState<FilterInputs>(emptyFilterInputs);
  const [sort, setSort] = useState<Sort>(defaultSort);
  const [version, setVersion] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const [focusSearch, setFocusSearch] = useState(0);

  // Results and undo offers belong to the screen they were shown on; dropped before the switch, so a
  // message about the switch itself (e.g. "queued") is shown on the new screen.
  const { leaveScreen } = toasts;
  const viewRef = useRef(view);
  const setView = useCallback(
    (next: View) => {
      if (next !== viewRef.current) leaveScreen();
      viewRef.current = next;
      setShownView(next);
    },
    [leaveScreen],
  );

  const queue = useQueue();
  const showQueue = useCallback(() => setView('queue'), [setView]);
  const scan = useScan(showQueue);

  const currency = settings?.defaultCurrency ?? 'USD';
  const debouncedText = useDebounced(inputs.text, 250);
  const built = useMemo(() => buildFilter({ ...inputs, text: debouncedText }, currency), [inputs, debouncedText, currency]);
  // Same filter content keeps the same object, so views do not refetch for nothing.
  const filterKey = JSON.stringify(built.filter);
  const filter = useMemo<LedgerFilter>(() => JSON.parse(filterKey), [filterKey]);

  const loadSettings = useCallback(() => {
    invoke('settings:get', {}).then(setSettings, (error) =>
      toasts.push({ kind: 'error', message: `Could not load settings: ${errorMessage(error)}` }),
    );
  }, [toasts]);
  useEffect(loadSettings, [loadSettings]);

  useEffect(() => {
    invoke('ledger:categories', {}).then(
      ({ categories }) => setCategories(categories),
      (error) => toasts.push({ kind: 'error', message: `Could not load categories: ${errorMessage(error)}` }),
    );
  }, [toasts, version]);

  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const bump = useCallback(() => {
    refreshTimer.current ??= setTimeout(() => {
      refreshTimer.current = null;
      setVersion((v) => v + 1);
    }, REFRESH_MS);
  }, []);
  useApiEvent('ledger:changed', bump);
  useApiEvent('app:notice', ({ level, message }) => toasts.push({ kind: level, message }));

  const changedNow = useCallback(() => setVersion((v) => v + 1), []);

  const deleteReceipt = useCallback(
    async (id: number) => {
      try {
        await invoke('ledger:delete', { ids: [id] });
        setSelectedId((current) => (current === id ? null : current));
        changedNow();
        toasts.push({
          kind: 'info',
          message: 'Receipt deleted.',
          action: {
            label: 'Undo',
            run: () => {
              invoke('ledger:restore', { ids: [id] }).then(
                () => {
                  changedNow();
                  setSelectedId(id);
                },
                (error) => toasts.push({ kind: 'error', message: `Could not restore: ${errorMessage(error)}` }),
              );
            },
          },
        });
      } catch (error) {
        toasts.push({ kind: 'error', message: `Could not delete: ${errorMessage(error)}` });
      }
    },
    [changedNow, toasts],
  );

  const exportCsv = useCallback(async () => {
    try {
      const { path, rows } = await invoke('export:csv', isFiltered(filter) ? { filter } : {});
      if (path) toasts.push({ kind: 'success', message: `Exported ${rows.toLocaleString()} receipt${rows === 1 ? '' : 's'} to ${path}` });
    } catch (error) {
      toasts.push({ kind: 'error', message: `Export failed: ${errorMessage(error)}` });
    }
  }, [filter, toasts]);

  const openReceipt = useCallback(
    (id: number) => {
      setView('ledger');
      setSelectedId(id);
    },
    [setView],
  );

  useEffect(() => {
    if (focusSearch > 0) {
      searchRef.current?.focus();
      searchRef.current?.select();
    }
  }, [focusSearch]);

  // The window-wide handlers are registered once and always see the latest state.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    const key = event.key.toLowerCase();
    if (isPrimaryModifier(event) && !event.altKey && key === 'f') {
      event.preventDefault();
      setView('ledger');
      setFocusSearch((n) => n + 1);
    } else if (isPrimaryModifier(event) && !event.altKey && key === 'e') {
      event.preventDefault();
      void exportCsv();
    } else if (event.key === 'Escape' && selectedId !== null && view === 'ledger') {
      event.preventDefault();
      setSelectedId(null);
    } else if (event.key === 'Delete' && selectedId !== null && view === 'ledger' && !isEditable(event.target)) {
      event.preventDefault();
      void deleteReceipt(selectedId);
    }
  });
  const onPaste = useEffectEvent((event: ClipboardEvent) => {
    if (isEditable(event.target)) return;
    const text = event.clipboardData?.getData('text/plain').trim() ?? '';
    if (/^https?:\/\/\S+$/i.test(text)) {
      event.preventDefault();
      void scan.addUrl(text);
    }
  });
  useEffect(() => {
    const key = (event: KeyboardEvent) => onKey(event);
    const paste = (event: ClipboardEvent) => onPaste(event);
    window.addEventListener('keydown', key);
    window.addEventListener('paste', paste);
    return () => {
      window.removeEventListener('keydown', key);
      window.removeEventListener('paste', paste);
    };
  }, []);

  const active = activeCount(queue.state);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">R</span> Receipt Scanner
        </div>
        <nav className="tabs" aria-label="Sections">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className="tab"
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => setView(v.id)}
            >
              {v.label}
              {v.id === 'queue' && active > 0 && (
                <span className="tab-badge" aria-label={`${active} in progress`}>
                  {active.toLocaleString()}
                </span>
              )}
            </button>
          ))}
        </nav>
        <div className="topbar-actions">
          <button type="button" onClick={() => void scan.pick('files')}>
            Add files…
          </button>
          <button type="button" onClick={() => void scan.pick('folder')}>
            Add folder…
          </button>
        </div>
      </header>

      <main className="content">
        {view === 'queue' && <QueueView queue={queue} scan={scan} onOpenReceipt={openReceipt} />}
        {view === 'ledger' && (
          <LedgerView
            inputs={inputs}
            onInputs={setInputs}
            problems={built.problems}
            filter={filter}
            sort={sort}
            onSort={setSort}
            selectedId={selectedId}
            onSelect={setSelectedId}
            categories={categories}
            defaultCurrency={currency}
            version={version}
            searchRef={searchRef}
            onExport={() => void exportCsv()}
            onDelete={(id) => void deleteReceipt(id)}
            onChanged={changedNow}
          />
        )}
        {view === 'summary' && <SummaryView filter={filter} version={version} onClearFilter={() => setInputs(emptyFilterInputs)} />}
        {view === 'rules' && <RulesView version={version} onChanged={changedNow} />}
        {view === 'settings' && <SettingsView settings={settings} onSettings={setSettings} onOpen={loadSettings} />}
      </main>

      <DropZone onFiles={(files) => void scan.addDropped(files)} />
    </div>
  );
}
