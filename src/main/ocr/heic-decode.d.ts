// heic-decode ships no types, and @types/heic-decode 2.0.0 lacks the sizes and dispose() of decode.all
// that 2.1.0 has and we rely on (refuse a bomb before decoding, free the wasm memory). What we use:
declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    /** RGBA, 4 bytes per pixel. */
    data: Uint8ClampedArray;
  }
  interface ImageHandle {
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  interface Decode {
    (input: { buffer: Uint8Array }): Promise<DecodedImage>;
    /** Parses the container only: sizes are known before any pixel is decoded. Call dispose() when done. */
    all(input: { buffer: Uint8Array }): Promise<ImageHandle[] & { dispose(): void }>;
  }
  const decode: Decode;
  export default decode;
}
