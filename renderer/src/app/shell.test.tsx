// The studio inside the desktop shell: menu actions and opened files drive the store, the toolbar and
// settings use the shell's dialogs, and the settings show the providers and what a run really used.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createShellClient } from '../client/shell';
import { ExportPanel } from '../export/ExportPanel';
import { Toasts } from '../feedback/Toasts';
import { TopBar } from '../layout/TopBar';
import { PhotoPanel } from '../photo/PhotoPanel';
import { StudioContext } from './context';
import { env, fakeResult, FakeBridge, FakeClient, HELLO } from './fake-engine';
import { connectShell, createStudio, type Studio } from './studio';

const png = new Uint8Array([137, 80, 78, 71]);
const shellEvent = (event: unknown) => ({ type: 'shell', event });

function mount(client: FakeClient, bridge: FakeBridge | null, downloads: string[] = []) {
  const shell = bridge ? createShellClient(bridge) : null;
  const studio = createStudio(client, { ...env(downloads), shell });
  client.on((e) => void studio.ops.handleEvent(e));
  const off = connectShell(studio, () => document.activeElement);
  render(
    <StudioContext.Provider value={studio}>
      <TopBar />
      <PhotoPanel />
      <ExportPanel />
      <Toasts />
    </StudioContext.Provider>,
  );
  return { studio, off };
}

async function photoWithMask(studio: Studio, client: FakeClient) {
  await act(() => studio.ops.connect());
  await act(() => studio.ops.openSample('ball'));
  await act(() => studio.ops.click(1, 1, true));
  await waitFor(() => expect(client.segmentCalls).toHaveLength(1));
}

async function finishRun(studio: Studio, client: FakeClient, used: Record<string, string>) {
  const done = act(() => studio.ops.run());
  await waitFor(() => expect(client.runRequests).toHaveLength(1));
  const r = fakeResult('engine-run-1', 1000);
  r.report = { ...r.report, provider: { requested: 'auto', used } };
  client.pendingRuns[0].resolve(r);
  await done;
}

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});
afterEach(cleanup);

describe('studio in the desktop shell', () => {
  it('File › Open Photo / Open Recent and Import Mask open the bytes the shell sent', async () => {
    const client = new FakeClient();
    const bridge = new FakeBridge();
    const { studio } = mount(client, bridge);
    const importMask = vi.spyOn(client, 'importMask');
    await act(() => studio.ops.connect());
    act(() => bridge.push(shellEvent({ type: 'file-opened', kind: 'photo', name: 'cat.png', bytes: png })));
    await waitFor(() => expect(studio.store.getState().photo?.ref.name).toBe('cat.png'));
    expect(client.openImageCalls).toBe(1);
    expect(studio.store.getState().photo?.bytes).toEqual(png);

    act(() => bridge.push(shellEvent({ type: 'file-opened', kind: 'mask', name: 'm.png', bytes: png })));
    await waitFor(() => expect(studio.store.getState().objects[0].mask?.source).toBe('import'));
    expect(importMask).toHaveBeenCalledWith('img-cat.png-1', png);
    // A malformed event never reaches the store.
    act(() => bridge.push(shellEvent({ type: 'file-opened', kind: 'photo', name: 'x.png', bytes: 'no' })));
    await new Promise((r) => setTimeout(r, 10));
    expect(client.openImageCalls).toBe(1);
  });

  it('Edit › Undo undoes the last click; Export GLB saves through the shell', async () => {
    const client = new FakeClient();
    const bridge = new FakeBridge();
    bridge.replies['shell.saveFile'] = (p) => ({ name: `${p.suggestedName}` });
    const downloads: string[] = [];
    const { studio } = mount(client, bridge, downloads);
    await photoWithMask(studio, client);
    act(() => studio.ops.setExportSettings({ format: 'ply', simplify: true, faces: 500 }));
    await act(() => studio.ops.click(2, 2, false));
    expect(studio.store.getState().objects[0].points).toHaveLength(2);
    // While typing in a field, Undo is the field's, not the studio's.
    const field = document.body.appendChild(document.createElement('input'));
    field.focus();
    act(() => bridge.push(shellEvent({ type: 'menu', action: 'undo' })));
    expect(studio.store.getState().objects[0].points).toHaveLength(2);
    field.remove();
    act(() => bridge.push(shellEvent({ type: 'menu', action: 'undo' })));
    expect(studio.store.getState().objects[0].points).toHaveLength(1);

    await finishRun(studio, client, { ss_denoiser: 'cpu' });
    const exp = vi.spyOn(client, 'export');
    act(() => bridge.push(shellEvent({ type: 'menu', action: 'export-glb' })));
    await waitFor(() => expect(bridge.calls.some((c) => c.method === 'shell.saveFile')).toBe(true));
    // The panel's choices, with GLB as the menu item says.
    expect(exp).toHaveBeenCalledWith({
      runIds: ['engine-run-1'],
      format: 'glb',
      scene: false,
      targetFaces: 500,
    });
    const save = bridge.calls.find((c) => c.method === 'shell.saveFile')!;
    expect(save.params).toMatchObject({ suggestedName: 'object.glb', format: 'glb' });
    expect(downloads).toEqual([]); // no <a download> inside Electron
    expect((await screen.findByTestId('toast')).textContent).toContain('Saved object.glb');
    expect(studio.store.getState().exportSettings.format).toBe('glb');
  });

  it('the toolbar and settings buttons open the shell dialogs', async () => {
    const client = new FakeClient();
    const bridge = new FakeBridge();
    bridge.replies['shell.openPhoto'] = () => ({ name: 'dog.png', bytes: png });
    bridge.replies['shell.importMask'] = () => null;
    bridge.replies['shell.addPackFolder'] = () => {
      // The shell has added the folder to the engine's settings; hello now lists it too.
      const settings = { ...HELLO.settings, packDirs: ['/packs/sam3d'] };
      client.helloValue = { ...HELLO, settings };
      return settings;
    };
    const { studio } = mount(client, bridge);
    await act(() => studio.ops.connect());
    fireEvent.click(screen.getAllByTestId('open-image')[0]);
    await waitFor(() => expect(studio.store.getState().photo?.ref.name).toBe('dog.png'));
    fireEvent.click(screen.getByTestId('import-mask'));
    await waitFor(() => expect(bridge.calls.map((c) => c.method)).toContain('shell.importMask'));

    const hello = vi.spyOn(client, 'hello');
    fireEvent.click(screen.getByTestId('settings-button'));
    fireEvent.click(screen.getByTestId('add-pack-folder'));
    await waitFor(() => expect(studio.store.getState().settings?.packDirs).toEqual(['/packs/sam3d']));
    await waitFor(() => expect(hello).toHaveBeenCalled()); // the pack list is read again
  });

  it('File › Settings opens the settings; settings-changed updates them', async () => {
    const client = new FakeClient();
    const bridge = new FakeBridge();
    const { studio } = mount(client, bridge);
    await act(() => studio.ops.connect());
    expect(screen.queryByTestId('settings-menu')).toBeNull();
    act(() => bridge.push(shellEvent({ type: 'menu', action: 'open-settings' })));
    expect(await screen.findByTestId('settings-menu')).toBeTruthy();
    const settings = { ...HELLO.settings, provider: 'auto', packDirs: ['/x'] };
    client.helloValue = { ...HELLO, settings };
    const hello = vi.spyOn(client, 'hello');
    act(() => bridge.push(shellEvent({ type: 'settings-changed', settings })));
    await waitFor(() => expect(hello).toHaveBeenCalled()); // new pack folder: read the pack list again
    await waitFor(() => expect(studio.store.getState().settings).toEqual(settings));
  });
});

describe('execution provider settings', () => {
  it("offers auto, CPU, CUDA, DirectML, CoreML; shows what the last run used and 'auto' notes", async () => {
    const client = new FakeClient();
    client.helloValue = { ...HELLO, providers: ['cpu', 'auto', 'cuda'] };
    const { studio } = mount(client, null);
    await photoWithMask(studio, client);
    fireEvent.click(screen.getByTestId('settings-button'));
    const select = screen.getByTestId('provider-select') as HTMLSelectElement;
    const options = [...select.options].map((o) => [o.value, o.disabled]);
    expect(options).toEqual([
      ['auto', false],
      ['cpu', false],
      ['cuda', false],
      ['dml', true],
      ['coreml', true],
      ['webgpu', true],
    ]);
    const update = vi.spyOn(client, 'updateSettings');
    fireEvent.change(select, { target: { value: 'auto' } });
    expect(update).toHaveBeenCalledWith({ provider: 'auto' });
    expect(screen.queryByTestId('provider-used')).toBeNull();

    await finishRun(studio, client, { ss_condition: 'cpu', ss_denoiser: 'cpu' });
    act(() => client.emit({ type: 'info', message: 'execution provider "auto": no GPU provider started' }));
    const menu = screen.getByTestId('settings-menu');
    expect(within(menu).getByTestId('provider-used').textContent).toBe('Last run (auto) used: cpu');
    expect(within(menu).getByTestId('engine-note').textContent).toContain('no GPU provider started');
    expect(screen.getByTestId('engine-provider-used').textContent).toBe('used: cpu');
    expect(screen.queryByTestId('toast')).toBeNull(); // informational: no toast
  });

  it('in the browser, a pack folder is a path on the engine machine', async () => {
    const client = new FakeClient();
    const { studio } = mount(client, null);
    await act(() => studio.ops.connect());
    const update = vi.spyOn(client, 'updateSettings');
    fireEvent.click(screen.getByTestId('settings-button'));
    fireEvent.click(screen.getByTestId('add-pack-folder'));
    const input = screen.getByTestId('pack-folder-input');
    fireEvent.change(input, { target: { value: '/data/sam3d-pack ' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(update).toHaveBeenCalledWith({ packDirs: ['/data/sam3d-pack'] }));
  });
});
