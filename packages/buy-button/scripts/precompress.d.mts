import type { Plugin } from 'vite';

/** Writes `<path>.br` (brotli, quality 11) and `<path>.gz` (gzip -9); answers their sizes. */
export declare function precompressFile(path: string): Promise<{ br: number; gzip: number }>;

/** A Vite plugin: once the bundle is on disk, precompresses `file` of the output directory. */
export declare function precompress(file: string): Plugin;
