// The two IPC channels between the preload bridge and the main process. Requests go through ONE
// invoke channel (every message is validated in main); events come back on one push channel.
// No Electron import here: the preload, main and tests share these names.
export const INVOKE_CHANNEL = 'fsam3d:invoke';
export const EVENT_CHANNEL = 'fsam3d:event';
