/**
 * In a packaged app, packages listed in electron-builder's asarUnpack are real files beside app.asar,
 * but module resolution still names them inside it; worker threads and a worker's own file reads need
 * the real path.
 */
export const unpacked = (path: string): string => path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
