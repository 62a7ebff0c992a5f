// What every part of the JS API shares: the error type, moving bytes into the module's input
// buffer, and turning a failure inside the core into that error.

/** Thrown for unusable options or input (not for a refused tracking URL, which is a result). */
export class ClicktrailError extends Error {
  constructor(message, code = 'bad_options') {
    super(message);
    this.name = 'ClicktrailError';
    this.code = code;
  }
}

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/** Parses JSON the core wrote into its memory (a Uint8Array view, read before the next call). */
export const parseJsonView = (view) => JSON.parse(decoder.decode(view));

export function optionsJson(options) {
  if (options === null || typeof options !== 'object') {
    throw new ClicktrailError('options must be an object');
  }
  return JSON.stringify(options);
}

// Input goes into the module's input buffer through the plain export clicktrail_input (see
// wasm/buffers.cpp), which gives its address in module memory; the per-request path (verify,
// edge decisions) also reads its JSON answer at the output buffer's address (wasm/bindings.cpp).

// Writes `input` (text or bytes) into the input buffer; returns the number of bytes written.
export function writeInput(core, input) {
  if (typeof input === 'string') return writeInputTexts(core, [input])[0];
  const bytes = toBytes(input, 'input');
  const at = core._clicktrail_input(bytes.length);
  core.HEAPU8.set(bytes, at); // HEAPU8 read after the call: growing the memory replaces it
  return bytes.length;
}

/** Writes `texts` as UTF-8, one after another, into the input buffer; returns their byte lengths. */
export function writeInputTexts(core, texts) {
  let room = 0;
  for (const text of texts) room += text.length * 3; // UTF-8 needs at most 3 bytes per unit
  let at = core._clicktrail_input(room);
  const heap = core.HEAPU8; // read after the call: growing the memory replaces the view
  const end = at + room;
  return texts.map((text) => {
    const { written } = encoder.encodeInto(text, heap.subarray(at, end));
    at += written;
    return written;
  });
}

/** Parses the JSON answer of `size` bytes a plain export left in the output buffer. */
export function readJsonAnswer(core, size) {
  const at = core._clicktrail_output_data();
  return parseJsonView(core.HEAPU8.subarray(at, at + size));
}

export function toBytes(input, what) {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new ClicktrailError(`${what} must be a string or a Uint8Array`, 'bad_input');
}

// The core never throws by design; if it ever does, Emscripten surfaces a bare number. Turn that
// into an error a caller can recognise and report.
export function callCore(call) {
  try {
    return call();
  } catch (error) {
    if (typeof error === 'number') {
      throw new ClicktrailError('clicktrail core failed on this input; please report it', 'internal');
    }
    throw error;
  }
}

// Embind objects own C++ memory: dispose() frees it at once; the registry frees what a caller
// forgot when the wrapper is garbage-collected.
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((native) => native.delete())
    : null;

/** Gives `wrapper` a dispose() that frees `native`, and frees it on collection otherwise. */
export function disposable(wrapper, native) {
  wrapper.dispose = () => {
    registry?.unregister(wrapper);
    native.delete();
  };
  registry?.register(wrapper, native, wrapper);
  return wrapper;
}
