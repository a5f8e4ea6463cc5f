// Small stroke icons (16 px grid), drawn inline so nothing is fetched.
const PATHS: Record<string, string> = {
  folder: 'M2 4.5h4l1.5 1.5H14v6.5a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1z',
  image: 'M2.5 3h11v10h-11z M2.5 11l3.5-3.5 3 3 2-2 2.5 2.5 M10.5 6.2h.01',
  plus: 'M8 3v10 M3 8h10',
  minus: 'M3 8h10',
  undo: 'M5.5 4 2.5 7l3 3 M2.5 7H10a3.5 3.5 0 0 1 0 7H7',
  eraser:
    'M6 13h7 M3.2 9.8l5.6-5.6a1.4 1.4 0 0 1 2 0l1.9 1.9a1.4 1.4 0 0 1 0 2L7.5 13H5.3l-2.1-2.1a.8.8 0 0 1 0-1.1z',
  upload: 'M8 10V2.5 M5 5.5l3-3 3 3 M2.5 10v3h11v-3',
  download: 'M8 2.5V10 M5 7l3 3 3-3 M2.5 10v3h11v-3',
  cube: 'M8 1.8 13.5 5v6L8 14.2 2.5 11V5z M2.5 5 8 8.2 13.5 5 M8 8.2v6',
  stop: 'M4.5 4.5h7v7h-7z',
  split: 'M2.5 3h11v10h-11z M8 3v10',
  camera: 'M2.5 5h2.5l1.2-1.8h3.6L11 5h2.5v8h-11z M8 10.9a2.2 2.2 0 1 0 0-4.4 2.2 2.2 0 0 0 0 4.4',
  grid: 'M2.5 2.5h11v11h-11z M2.5 6.2h11 M2.5 9.8h11 M6.2 2.5v11 M9.8 2.5v11',
  wire: 'M8 1.8 13.5 5v6L8 14.2 2.5 11V5z M2.5 5l11 6 M13.5 5l-11 6 M8 1.8v12.4',
  dice: 'M3 3h10v10H3z M5.7 5.7h.01 M10.3 5.7h.01 M8 8h.01 M5.7 10.3h.01 M10.3 10.3h.01',
  gear: 'M8 10.2a2.2 2.2 0 1 0 0-4.4 2.2 2.2 0 0 0 0 4.4 M8 1.5v2 M8 12.5v2 M1.5 8h2 M12.5 8h2 M3.4 3.4l1.4 1.4 M11.2 11.2l1.4 1.4 M3.4 12.6l1.4-1.4 M11.2 4.8l1.4-1.4',
  close: 'M4 4l8 8 M12 4l-8 8',
  swap: 'M3 5.5h9.5 M10 3l2.5 2.5L10 8 M13 10.5H3.5 M6 8l-2.5 2.5L6 13',
  check: 'M3 8.5l3 3 7-7',
  alert: 'M8 2.2 14.2 13H1.8z M8 6.5v3 M8 11.3h.01',
  info: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12 M8 7.5v3.5 M8 5.2h.01',
  chevron: 'M4.5 6.5 8 10l3.5-3.5',
  layers: 'M8 2 14 5 8 8 2 5z M2 8l6 3 6-3 M2 11l6 3 6-3',
  history: 'M2.5 8a5.5 5.5 0 1 0 1.6-3.9 M2.5 2.5v2.8h2.8 M8 5v3l2 1.5',
  reset: 'M3 8a5 5 0 1 0 1.5-3.5 M3 2.5V5h2.5',
  sparkle:
    'M8 2v3 M8 11v3 M2 8h3 M11 8h3 M4.2 4.2l1.6 1.6 M10.2 10.2l1.6 1.6 M4.2 11.8l1.6-1.6 M10.2 5.8l1.6-1.6',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
