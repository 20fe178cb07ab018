// Dev only: starts React Fast Refresh from a module, since the window's CSP blocks Vite's inline preamble.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ToastProvider } from './lib/toasts';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
if (typeof window.api === 'undefined') {
  // The preload did not run (e.g. the page was opened outside the app): say so instead of crashing.
  root.render(
    <p className="fatal" role="alert">
      Receipt Scanner could not connect to its background process. Please restart the app.
    </p>,
  );
} else {
  root.render(
    <StrictMode>
      <ToastProvider>
        <App />
      </ToastProvider>
    </StrictMode>,
  );
}
