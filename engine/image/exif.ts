// The photo's 35 mm-equivalent focal length from its EXIF block: the only camera fact a photo carries.
import ExifReader from 'exifreader';

/** FocalLengthIn35mmFilm from a photo's bytes (JPEG, PNG eXIf, TIFF, WebP, HEIC), or undefined. */
export function exifFocal35mm(bytes: Buffer | ArrayBuffer): number | undefined {
  try {
    const tags = ExifReader.load(bytes) as Record<string, { value?: unknown } | undefined>;
    const v = tags.FocalLengthIn35mmFilm?.value;
    const n = Array.isArray(v) ? Number(v[0]) : Number(v);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined; // no EXIF block, or one ExifReader cannot parse: the default applies
  }
}
