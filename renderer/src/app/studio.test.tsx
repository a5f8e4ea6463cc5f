// Component tests: the studio panels against a scripted EngineClient (fake-engine.ts).
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccelerationPanel } from '../accel/AccelerationPanel';
import { ExportPanel } from '../export/ExportPanel';
import { EngineBanner } from '../feedback/EngineBanner';
import { Toasts } from '../feedback/Toasts';
import { HistoryList } from '../history/HistoryList';
import { ObjectList } from '../objects/ObjectList';
import { PhotoPanel } from '../photo/PhotoPanel';
import { RunPanel } from '../run/RunPanel';
import { StudioContext } from './context';
import { env, fakeResult, FakeClient } from './fake-engine';
import { createStudio, type Studio } from './studio';

function mount(client: FakeClient, downloads: string[] = []): Studio {
  const studio = createStudio(client, env(downloads));
  client.on((e) => void studio.ops.handleEvent(e));
  render(
    <StudioContext.Provider value={studio}>
      <ObjectList />
      <AccelerationPanel />
      <RunPanel />
      <PhotoPanel />
      <ExportPanel />
      <HistoryList />
      <EngineBanner />
      <Toasts />
    </StudioContext.Provider>,
  );
  return studio;
}

beforeAll(() => {
  // jsdom has no layout or canvas: give the photo stage a size and let the overlay skip drawing.
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});

afterEach(cleanup);

async function openSampleAndClick(studio: Studio, client: FakeClient) {
  await act(() => studio.ops.connect());
  fireEvent.click(screen.getAllByTestId('open-sample')[0]);
  const photo = await screen.findByTestId('photo-canvas');
  photo.getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 300 }) as DOMRect;
  fireEvent.mouseDown(photo, { button: 0, clientX: 200, clientY: 150 });
  await waitFor(() => expect(client.segmentCalls).toHaveLength(1));
  return photo;
}

describe('studio panels with a fake engine', () => {
  it('open a sample, click positive and negative points, undo', async () => {
    const client = new FakeClient();
    const studio = mount(client);
    const photo = await openSampleAndClick(studio, client);
    // A 4×3 image shown at 400×300: the centre click (200, 150) is pixel (2, 1.5) → rounded (2, 2).
    expect(client.segmentCalls[0]).toEqual([{ x: 2, y: 2, positive: true }]);
    fireEvent.mouseDown(photo, { button: 2, clientX: 10, clientY: 10 });
    await waitFor(() => expect(client.segmentCalls).toHaveLength(2));
    expect(client.segmentCalls[1][1]).toEqual({ x: 0, y: 0, positive: false });
    fireEvent.mouseDown(photo, { button: 0, shiftKey: true, clientX: 390, clientY: 290 });
    await waitFor(() => expect(client.segmentCalls).toHaveLength(3));
    expect(client.segmentCalls[2][2].positive).toBe(false);
    expect(screen.getByTestId('mask-info').textContent).toContain('fake');

    fireEvent.click(screen.getByTestId('undo'));
    expect(studio.store.getState().objects[0].points).toHaveLength(2);
    fireEvent.click(screen.getByTestId('add-object'));
    expect(screen.getAllByTestId('object-row')).toHaveLength(2);
  });

  it('knobs come from the strategy, and a run sends them, shows progress and lands in the history', async () => {
    const client = new FakeClient();
    const studio = mount(client);
    await openSampleAndClick(studio, client);

    const stride = within(screen.getByTestId('knob-ss_cache_stride')).getByRole('textbox');
    fireEvent.change(stride, { target: { value: '5' } });
    fireEvent.blur(stride);
    fireEvent.click(screen.getByTestId('knob-ss_cache'));
    fireEvent.click(screen.getByTestId('run-button'));

    await waitFor(() => expect(client.runRequests).toHaveLength(1));
    const req = client.runRequests[0];
    expect(req.strategy).toBe('fast-sam3d');
    expect(req.knobs).toEqual({ ss_cache_stride: 5, ss_cache: false, slat_carving_ratio: 0.1 });
    expect(req.seed).toBe(42);
    expect(req.mask).toHaveLength(12);
    expect(req.runId).toBeTruthy();

    act(() =>
      client.emit({
        type: 'progress',
        progress: { runId: req.runId!, stage: 'stage1', step: 4, of: 25, elapsedMs: 900 },
      }),
    );
    const progress = screen.getByTestId('progress');
    expect(within(progress).getByText('Stage 1 · structure')).toBeTruthy();
    expect(within(progress).getByText(/4\/25/)).toBeTruthy();
    expect(screen.getByTestId('cancel-button')).toBeTruthy();

    await act(async () => client.pendingRuns[0].resolve(fakeResult(req.runId!, 4000)));
    expect(await screen.findByTestId('run-button')).toBeTruthy();
    const row = screen.getByTestId('history-row');
    expect(row.getAttribute('data-status')).toBe('done');
    expect(row.textContent).toContain('4.00 s');
  });

  it('cancel ends the run quietly (no error toast)', async () => {
    const client = new FakeClient();
    const studio = mount(client);
    await openSampleAndClick(studio, client);
    fireEvent.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(client.runRequests).toHaveLength(1));
    fireEvent.click(screen.getByTestId('cancel-button'));
    await waitFor(() =>
      expect(screen.getByTestId('history-row').getAttribute('data-status')).toBe('cancelled'),
    );
    expect(client.cancelled[0]).toBe(client.runRequests[0].runId);
    expect(screen.queryByTestId('toast')).toBeNull();
  });

  it('an engine restart shows the calm banner and keeps the work', async () => {
    const client = new FakeClient();
    const studio = mount(client);
    await openSampleAndClick(studio, client);
    act(() => client.emit({ type: 'engine-restarted', reason: 'out of memory' }));
    const banner = await screen.findByTestId('engine-banner');
    expect(banner.textContent).toContain(
      'The engine restarted (out of memory); your photo, masks and results are safe',
    );
    const s = studio.store.getState();
    expect(s.objects[0].points).toHaveLength(1);
    expect(s.objects[0].mask).not.toBeNull();
    expect(s.photo?.ref.imageId).toBe('img-ball');
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('engine-banner')).toBeNull();
  });

  it('exports the shown object as GLB with a face target', async () => {
    const client = new FakeClient();
    const downloads: string[] = [];
    const studio = mount(client, downloads);
    const spy = vi.spyOn(client, 'export');
    await openSampleAndClick(studio, client);
    fireEvent.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(client.runRequests).toHaveLength(1));
    await act(async () => client.pendingRuns[0].resolve(fakeResult('engine-run-1', 1000)));
    fireEvent.click(screen.getByTestId('export-simplify'));
    fireEvent.click(screen.getByTestId('export-button'));
    await waitFor(() => expect(downloads).toEqual(['object.glb']));
    expect(spy).toHaveBeenCalledWith({
      runIds: ['engine-run-1'],
      format: 'glb',
      scene: false,
      targetFaces: 20000,
    });
  });
});
