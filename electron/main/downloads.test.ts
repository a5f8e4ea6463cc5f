// will-download: the studio's blob:/data: downloads get a save dialog; everything else is cancelled.
import path from 'node:path';
import type { DownloadItem, Event, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { downloadName, willDownloadHandler } from './downloads.ts';

/** The parts of Electron's DownloadItem the handler touches. */
function fakeItem(url: string, filename: string) {
  return {
    getURL: () => url,
    getFilename: () => filename,
    cancel: vi.fn(),
    setSavePath: vi.fn(),
    setSaveDialogOptions: vi.fn(),
  };
}

const studio = { id: 1 } as unknown as WebContents;
const other = { id: 2 } as unknown as WebContents;
const handler = willDownloadHandler({ studio: () => studio, documentsDir: () => '/home/u/Documents' });
const fire = (item: ReturnType<typeof fakeItem>, contents: WebContents | undefined) =>
  handler({} as Event, item as unknown as DownloadItem, contents as WebContents);

describe('will-download', () => {
  it("asks where to save the studio's blob: export, in Documents, never silently", () => {
    const item = fakeItem('blob:app://studio/1234', 'chair-fast-sam3d.glb');
    fire(item, studio);
    expect(item.cancel).not.toHaveBeenCalled();
    expect(item.setSavePath).not.toHaveBeenCalled(); // a set path would skip the dialog
    expect(item.setSaveDialogOptions).toHaveBeenCalledWith(
      expect.objectContaining({
        defaultPath: path.join('/home/u/Documents', 'chair-fast-sam3d.glb'),
        filters: [
          { name: 'glTF binary', extensions: ['glb'] },
          { name: 'All files', extensions: ['*'] },
        ],
      }),
    );
  });

  it('also for a data: snapshot, with a safe default name', () => {
    const item = fakeItem('data:image/png;base64,AAAA', '../../evil:shot.png');
    fire(item, studio);
    const opts = item.setSaveDialogOptions.mock.calls[0][0];
    expect(opts.defaultPath).toBe(path.join('/home/u/Documents', 'evil_shot.png'));
    expect(opts.filters[0].extensions).toEqual(['png']);
  });

  it('cancels downloads from the network or from other web contents', () => {
    for (const [url, contents] of [
      ['https://example.com/x.glb', studio],
      ['http://127.0.0.1/x.glb', studio],
      ['blob:app://studio/1', other],
      ['blob:app://studio/1', undefined],
    ] as const) {
      const item = fakeItem(url, 'x.glb');
      fire(item, contents);
      expect(item.cancel, `${url}`).toHaveBeenCalled();
      expect(item.setSaveDialogOptions).not.toHaveBeenCalled();
    }
  });

  it('cancels when the studio window is gone', () => {
    const none = willDownloadHandler({ studio: () => null, documentsDir: () => '/d' });
    const item = fakeItem('blob:app://studio/1', 'a.glb');
    none({} as Event, item as unknown as DownloadItem, studio);
    expect(item.cancel).toHaveBeenCalled();
  });

  it('names: no folders, no reserved characters, never empty', () => {
    expect(downloadName('C:\\Users\\x\\a.glb')).toBe('a.glb');
    expect(downloadName('...')).toBe('download');
    expect(downloadName('a<b>.ply')).toBe('a_b_.ply');
  });
});
