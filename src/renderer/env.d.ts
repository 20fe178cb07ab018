// The preload's typed client (src/preload) is the renderer's only way to reach main.
import type { Api } from '../shared/contract';

declare global {
  interface Window {
    readonly api: Api;
  }
}

export {};
