// The watch-folder channels. The folder comes from a dialog main shows, never from the renderer.
import type { Handlers } from '../ipc/dispatch';
import { NotFoundError } from '../ipc/dispatch';
import type { Dialogs } from '../ipc/handlers';
import type { WatchService } from './watch-service';

export function watchHandlers(watch: WatchService, dialogs: Dialogs): Pick<Handlers, 'watch:list' | 'watch:add' | 'watch:remove'> {
  return {
    'watch:list': () => ({ folders: watch.list() }),
    'watch:add': async () => {
      for (const path of await dialogs.pickPaths('folder')) await watch.add(path);
      return { folders: watch.list() };
    },
    'watch:remove': async ({ id }) => {
      if (!(await watch.remove(id))) throw new NotFoundError(`watch folder ${id} does not exist (it may have been removed)`);
      return { folders: watch.list() };
    },
  };
}
