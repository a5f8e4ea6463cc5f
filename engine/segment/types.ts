// Shared types of the interactive segmenter.

export interface RgbImage {
  /** H×W×3 sRGB bytes, row-major. Treated as immutable: caches are keyed on this array. */
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** A click in image pixel coordinates (0 ≤ x < width, 0 ≤ y < height). */
export interface ClickPoint {
  x: number;
  y: number;
  /** true: part of the object; false: not part of it (shift/right click). */
  positive: boolean;
}

export interface SegmentOptions {
  /** Folders searched for a SAM encoder/decoder ONNX pair; without one the classical method runs. */
  packDirs?: string[];
  /** The object's current mask (H×W of 0/1), e.g. the previous result or an imported mask. */
  previous?: Uint8Array;
}

export interface SegmentResult {
  /** H×W, 1 = object. */
  mask: Uint8Array;
  /** 'grabcut', 'sam', or 'none' (no positive click and no previous mask: the mask is empty). */
  method: string;
}
